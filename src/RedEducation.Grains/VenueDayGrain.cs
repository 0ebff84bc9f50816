using Microsoft.Extensions.DependencyInjection;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;

namespace RedEducation.Grains;

/// <summary>
/// The capacity of one venue on one day. Reentrant so that requests arriving while a write is on its way to disk are
/// decided meanwhile and made durable together by the next write (group commit). Each decision is taken and recorded
/// with no await in between, so decisions never interleave; a request is answered only once the state holding its
/// decision is stored.
/// </summary>
[Reentrant]
internal sealed class VenueDayGrain(
    [PersistentState("venueday", Stores.Main)] IPersistentState<VenueDayLedger> stored,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock) : Grain, IVenueDayGrain
{
    private DurableState<VenueDayLedger> _ledger = null!;
    private string _venueId = "";
    private DateOnly _date;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_venueId, _date) = VenueDayKey.Parse(this.GetPrimaryKeyString());
        _ledger = new DurableState<VenueDayLedger>(stored, this);
        return Task.CompletedTask;
    }

    public async Task<PlacementResult> PlaceAsync(PlacementRequest request)
    {
        var venue = await VenueAsync();
        if (venue is null)
        {
            return new PlacementResult(Refusal.NotFound, null);
        }
        var ledger = _ledger.State;
        var known = ledger.Find(request.PlacementId) is not null;
        if (!known && BookingRules.CheckNew(venue, _date, request.Slot, request.Headcount, clock.GetUtcNow()) is var rule and not Refusal.None)
        {
            return new PlacementResult(rule, null);
        }
        var (decision, placement) = ledger.Place(request, venue);
        if (placement is null)
        {
            return new PlacementResult(decision.Refusal, null);
        }
        if (!known)
        {
            _ledger.Changed();
        }
        await _ledger.DurableAsync();
        return new PlacementResult(Refusal.None, View(placement));
    }

    public async Task<Refusal> PreviewAsync(PlacementRequest request)
    {
        var venue = await VenueAsync();
        if (venue is null)
        {
            return Refusal.NotFound;
        }
        if (_ledger.State.Find(request.PlacementId) is not null)
        {
            return Refusal.None;
        }
        var rule = BookingRules.CheckNew(venue, _date, request.Slot, request.Headcount, clock.GetUtcNow());
        return rule != Refusal.None ? rule : _ledger.State.Decide(request, venue).Refusal;
    }

    public async Task<PlacementResult> ResizeAsync(string placementId, int headcount)
    {
        var venue = await VenueAsync();
        var placement = _ledger.State.Find(placementId);
        if (venue is null || placement is null)
        {
            return new PlacementResult(Refusal.NotFound, null);
        }
        if (BookingRules.HasStarted(venue, _date, placement.Slot, clock.GetUtcNow()))
        {
            return new PlacementResult(Refusal.SlotStarted, View(placement));
        }
        var (refusal, _) = _ledger.State.Resize(placementId, headcount, venue);
        if (refusal != Refusal.None)
        {
            return new PlacementResult(refusal, View(placement));
        }
        _ledger.Changed();
        await _ledger.DurableAsync();
        return new PlacementResult(Refusal.None, View(placement));
    }

    public async Task<PlacementResult> CancelAsync(string placementId)
    {
        var venue = await VenueAsync();
        var placement = _ledger.State.Find(placementId);
        if (venue is null || placement is null)
        {
            return new PlacementResult(Refusal.NotFound, null);
        }
        if (placement.Status != PlacementStatus.Cancelled)
        {
            _ledger.State.Cancel(placementId, venue);
            _ledger.Changed();
        }
        await _ledger.DurableAsync();
        return new PlacementResult(Refusal.None, View(placement));
    }

    public async Task<PlacementView?> GetPlacementAsync(string placementId)
    {
        var placement = _ledger.State.Find(placementId);
        if (placement is null)
        {
            return null;
        }
        await _ledger.DurableAsync();
        return View(placement);
    }

    public async Task<IReadOnlyList<PlacementView>> GetPlacementsAsync()
    {
        await _ledger.DurableAsync();
        return [.. _ledger.State.Placements.Values
            .OrderBy(p => p.Sequence)
            .Select(View)];
    }

    public async Task<DayAvailability> GetAvailabilityAsync()
    {
        var venue = await VenueAsync();
        if (venue is null)
        {
            return new DayAvailability(_venueId, _date, false, []);
        }
        var slots = _ledger.State.Loads(venue, _date)
            .Select(l => new SlotAvailability(l.Slot.Start, l.Slot.End, l.Capacity, l.Booked, l.Remaining, l.Waitlisted))
            .ToList();
        return new DayAvailability(_venueId, _date, venue.IsOpenOn(_date), slots);
    }

    private PlacementView View(Placement p) =>
        new(p.Id, p.UnitId, p.Slot, p.Headcount, p.Status, _ledger.State.WaitlistPosition(p));

    private Task<VenueProfile?> VenueAsync()
    {
        _ledger.EnsureUsable();
        return GrainFactory.GetGrain<IVenueGrain>(_venueId).GetAsync();
    }
}

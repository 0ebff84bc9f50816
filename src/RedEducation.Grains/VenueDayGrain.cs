using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;

namespace RedEducation.Grains;

/// <summary>
/// The capacity of one venue on one day. Reentrant so that requests arriving while a write is on its way to disk are
/// decided meanwhile and made durable together by the next write (group commit). Each decision is taken and recorded
/// with no await in between, so decisions never interleave; a request is answered only once the state holding its
/// decision is stored. The ledger is stored as a journal of changed placements, not rewritten whole: a busy day holds
/// thousands of groups, and rewriting them all made every commit slower than the last.
/// </summary>
[Reentrant]
internal sealed class VenueDayGrain(
    [FromKeyedServices(Stores.Main)] IGrainStorage storage,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock) : Grain, IVenueDayGrain
{
    private readonly VenueDayLedger _ledger = new();
    private DurableJournal<PlacementSnapshot> _journal = null!;
    private string _venueId = "";
    private DateOnly _date;

    /// <summary>The venue's profile as this day decides on it, watched until <see cref="_venueUntil"/> (see <see cref="VenueGrain"/>).</summary>
    private VenueProfile? _venue;
    private long _venueUntil;

    /// <summary>Counts the changes the venue told of, so that an answer to an earlier question does not undo one.</summary>
    private long _venueChanges;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_venueId, _date) = VenueDayKey.Parse(this.GetPrimaryKeyString());
        _journal = new DurableJournal<PlacementSnapshot>(storage, "venueday-journal", this.GetGrainId(), DeactivateOnIdle);
        await _journal.LoadAsync(_ledger.Restore);
    }

    public Task<PlacementResult> PlaceAsync(PlacementRequest request) => PlaceAsync(request, Alongside.Nothing);

    public Task<PlacementResult> PlaceNewBookingAsync(string bookingId, NewBooking booking, DateTimeOffset createdAt) =>
        PlaceAsync(new PlacementRequest(bookingId, booking.UnitId, booking.Slot, booking.Headcount, booking.JoinWaitlist), new Alongside(
            [new GrainRow(BookingGrain.StateName, GrainFactory.GetGrain<IBookingGrain>(bookingId).GetGrainId(), BookingState.Created(booking, createdAt))],
            [UnitGrain.IndexEntry(GrainFactory.GetGrain<IUnitGrain>(booking.UnitId).GetGrainId(), bookingId)]));

    /// <param name="alongside">Stored with the placement when it is new (where absent, so a replay changes nothing).</param>
    private async Task<PlacementResult> PlaceAsync(PlacementRequest request, Alongside alongside)
    {
        var venue = await VenueAsync();
        if (venue is null)
        {
            return new PlacementResult(Refusal.NotFound, null);
        }
        var ledger = _ledger;
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
            Journal(alongside);
        }
        await _journal.DurableAsync();
        return new PlacementResult(Refusal.None, View(placement));
    }

    public async Task<PlacementResult> ResizeAsync(string placementId, int headcount)
    {
        var venue = await VenueAsync();
        var placement = _ledger.Find(placementId);
        if (venue is null || placement is null)
        {
            return new PlacementResult(Refusal.NotFound, null);
        }
        if (BookingRules.HasStarted(venue, _date, placement.Slot, clock.GetUtcNow()))
        {
            return new PlacementResult(Refusal.SlotStarted, View(placement));
        }
        var (refusal, _) = _ledger.Resize(placementId, headcount, venue);
        if (refusal != Refusal.None)
        {
            return new PlacementResult(refusal, View(placement));
        }
        Journal();
        await _journal.DurableAsync();
        return new PlacementResult(Refusal.None, View(placement));
    }

    public async Task<PlacementResult> CancelAsync(string placementId)
    {
        var venue = await VenueAsync();
        var placement = _ledger.Find(placementId);
        if (venue is null || placement is null)
        {
            return new PlacementResult(Refusal.NotFound, null);
        }
        if (placement.Status != PlacementStatus.Cancelled)
        {
            _ledger.Cancel(placementId, venue);
            Journal();
        }
        await _journal.DurableAsync();
        return new PlacementResult(Refusal.None, View(placement));
    }

    public async Task<PlacementView?> GetPlacementAsync(string placementId)
    {
        var placement = _ledger.Find(placementId);
        if (placement is null)
        {
            return null;
        }
        await _journal.DurableAsync();
        return View(placement);
    }

    public async Task<IReadOnlyList<PlacementView>> GetPlacementsAsync()
    {
        await _journal.DurableAsync();
        return [.. _ledger.Placements.Values
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
        var slots = _ledger.Loads(venue, _date)
            .Select(l => new SlotAvailability(l.Slot.Start, l.Slot.End, l.Capacity, l.Booked, l.Remaining, l.Waitlisted))
            .ToList();
        return new DayAvailability(_venueId, _date, venue.IsOpenOn(_date), slots);
    }

    private PlacementView View(Placement p) =>
        new(p.Id, p.UnitId, p.Slot, p.Headcount, p.Status, _ledger.WaitlistPosition(p));

    public Task VenueChangedAsync(VenueProfile? profile)
    {
        _venue = profile;
        _venueChanges++;
        return Task.CompletedTask;
    }

    private async ValueTask<VenueProfile?> VenueAsync()
    {
        _journal.EnsureUsable();
        var asked = Environment.TickCount64;
        if (_venue is not null && asked < _venueUntil)
        {
            return _venue;
        }
        var changes = _venueChanges;
        var venue = await GrainFactory.GetGrain<IVenueGrain>(_venueId).WatchAsync(this.GetPrimaryKeyString());
        // A write may have failed while the venue was asked: nothing is decided on a ledger the store does not hold.
        _journal.EnsureUsable();
        if (venue is null)
        {
            return null;
        }
        if (changes == _venueChanges)
        {
            _venue = venue;
        }
        _venueUntil = asked + (long)VenueGrain.WatchLease.TotalMilliseconds;
        return _venue;
    }

    /// <summary>
    /// Appends every placement the last decision changed (the group itself, any it replaced, any it promoted), with
    /// <paramref name="alongside"/> to be stored by the same write.
    /// </summary>
    private void Journal(Alongside? alongside = null)
    {
        var changes = _ledger.TakeChanges();
        for (var i = 0; i < changes.Count; i++)
        {
            _journal.Append(changes[i], i == 0 ? alongside ?? Alongside.Nothing : Alongside.Nothing);
        }
    }
}

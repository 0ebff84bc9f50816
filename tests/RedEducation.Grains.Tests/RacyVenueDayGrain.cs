using Orleans.Concurrency;
using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;

namespace RedEducation.Grains.Tests;

/// <summary>
/// The control for the concurrency test: the same ledger, but the decision and its recording are separated by an await,
/// as a service that checks capacity, then writes, would be. Requests interleave at that await and decide on stale
/// totals. A test that cannot see the resulting overbooking could not see a race in the real grain either.
/// </summary>
public interface IRacyVenueDayGrain : IGrainWithStringKey
{
    Task SetVenueAsync(VenueProfile venue);
    Task<bool> PlaceAsync(PlacementRequest request);
    Task<IReadOnlyList<(TimeOnly Slot, int Headcount)>> ConfirmedAsync();
    Task<IReadOnlyList<SlotLoad>> LoadsAsync(DateOnly day);
}

[Reentrant]
internal sealed class RacyVenueDayGrain : Grain, IRacyVenueDayGrain
{
    private readonly VenueDayLedger _ledger = new();
    private VenueProfile? _venue;

    public Task SetVenueAsync(VenueProfile venue)
    {
        _venue = venue;
        return Task.CompletedTask;
    }

    public async Task<bool> PlaceAsync(PlacementRequest request)
    {
        var decision = _ledger.Decide(request, _venue!);
        await Task.Delay(1); // the window a check-then-write service leaves open
        if (decision.Accepted)
        {
            _ledger.Apply(request, decision);
        }
        return decision.Accepted;
    }

    public Task<IReadOnlyList<(TimeOnly Slot, int Headcount)>> ConfirmedAsync() =>
        Task.FromResult<IReadOnlyList<(TimeOnly, int)>>([.. _ledger.Placements.Values
            .Where(p => p.Status == PlacementStatus.Confirmed)
            .Select(p => (p.Slot, p.Headcount))]);

    public Task<IReadOnlyList<SlotLoad>> LoadsAsync(DateOnly day) => Task.FromResult(_ledger.Loads(_venue!, day));
}

using RedEducation.Contracts;

namespace RedEducation.Grains;

internal sealed class UnitState
{
    public List<string> BookingIds { get; set; } = [];
}

/// <summary>
/// A unit's list of bookings. Every new booking of the unit passes through here before it is placed, so the grain is
/// reentrant and commits in groups like the venue-day: additions that arrive while a write is on its way to disk are
/// stored together by the next write. An addition is answered only once a write holding it is stored.
/// </summary>
[Reentrant]
internal sealed class UnitGrain([PersistentState("unit", Stores.Main)] IPersistentState<UnitState> stored) : Grain, IUnitGrain
{
    private DurableState<UnitState> _unit = null!;
    private HashSet<string> _known = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _unit = new DurableState<UnitState>(stored, DeactivateOnIdle);
        _known = new HashSet<string>(stored.State.BookingIds, StringComparer.Ordinal);
        return Task.CompletedTask;
    }

    public async Task AddBookingAsync(string bookingId)
    {
        _unit.EnsureUsable();
        if (_known.Add(bookingId))
        {
            _unit.State.BookingIds.Add(bookingId);
            _unit.Changed();
        }
        // Also when the id was known: the write holding it may still be under way.
        await _unit.DurableAsync();
    }

    public async Task<IReadOnlyList<string>> GetBookingIdsAsync()
    {
        _unit.EnsureUsable();
        IReadOnlyList<string> ids = [.. _unit.State.BookingIds];
        await _unit.DurableAsync();
        return ids;
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;

namespace RedEducation.Grains;

/// <summary>The list as a whole row: how units were stored before the journal. Read at activation, never written again.</summary>
internal sealed class UnitState
{
    public List<string> BookingIds { get; set; } = [];
}

/// <summary>
/// A unit's list of bookings. Every new booking of the unit passes through here before it is placed, so the grain is
/// reentrant and commits in groups like the venue-day: additions that arrive while a write is on its way to disk are
/// stored together by the next write. An addition is answered only once a write holding it is stored. The list is kept
/// as a journal of added ids: a unit that books all season would otherwise rewrite its whole list with every booking.
/// </summary>
[Reentrant]
internal sealed class UnitGrain(
    [PersistentState("unit", Stores.Main)] IPersistentState<UnitState> legacy,
    [FromKeyedServices(Stores.Main)] IGrainStorage storage) : Grain, IUnitGrain
{
    private readonly List<string> _ids = [];
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);
    private DurableJournal<string> _journal = null!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        legacy.State.BookingIds.ForEach(Add);
        _journal = new DurableJournal<string>(storage, "unit-journal", this.GetGrainId(), DeactivateOnIdle);
        await _journal.LoadAsync(Add);
    }

    public async Task AddBookingAsync(string bookingId)
    {
        _journal.EnsureUsable();
        if (!_known.Contains(bookingId))
        {
            Add(bookingId);
            _journal.Append(bookingId);
        }
        // Also when the id was known: the write holding it may still be under way.
        await _journal.DurableAsync();
    }

    public async Task<IReadOnlyList<string>> GetBookingIdsAsync()
    {
        _journal.EnsureUsable();
        IReadOnlyList<string> ids = [.. _ids];
        await _journal.DurableAsync();
        return ids;
    }

    private void Add(string bookingId)
    {
        if (_known.Add(bookingId))
        {
            _ids.Add(bookingId);
        }
    }
}

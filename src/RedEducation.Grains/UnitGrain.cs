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
internal sealed class UnitGrain([PersistentState("unit", Stores.Main)] IPersistentState<UnitState> state) : Grain, IUnitGrain
{
    private HashSet<string>? _known;
    private long _changes;
    private long _durable;
    private Task? _writing;
    private bool _broken;

    public async Task AddBookingAsync(string bookingId)
    {
        ObjectDisposedException.ThrowIf(_broken, this);
        _known ??= new HashSet<string>(state.State.BookingIds, StringComparer.Ordinal);
        if (_known.Add(bookingId))
        {
            state.State.BookingIds.Add(bookingId);
            _changes++;
        }
        // Also when the id was known: the write holding it may still be under way.
        await DurableAsync();
    }

    public async Task<IReadOnlyList<string>> GetBookingIdsAsync()
    {
        ObjectDisposedException.ThrowIf(_broken, this);
        IReadOnlyList<string> ids = [.. state.State.BookingIds];
        await DurableAsync();
        return ids;
    }

    /// <summary>Returns once every change made before the call is stored, starting a write when none is under way.</summary>
    private async Task DurableAsync()
    {
        var target = _changes;
        while (_durable < target)
        {
            if (_writing is null || _writing.IsCompleted)
            {
                _writing = WriteAsync();
            }
            await _writing;
        }
    }

    private async Task WriteAsync()
    {
        var covered = _changes;
        try
        {
            await state.WriteStateAsync();
            _durable = Math.Max(_durable, covered);
        }
        catch
        {
            // Memory now holds additions the store may not: refuse further work and reload from storage.
            _broken = true;
            DeactivateOnIdle();
            throw;
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;

namespace RedEducation.Grains;

/// <summary>The list as a whole row: how units were stored before the index rows. Read at activation, never written again.</summary>
internal sealed class UnitState
{
    public List<string> BookingIds { get; set; } = [];
}

/// <summary>
/// A unit's bookings: an index entry per booking under the unit's grain id, which the venue-day stores in the same
/// commit as the booking's placement; listing reads the index. Nothing is rewritten as a unit books all season.
/// Every new booking is made here. A booking id is the unit's own (<see cref="BookingIds.From"/>), so the unit knows
/// every booking it has: an id it has not seen goes straight to its venue-day, which stores the record with the
/// placement, and no booking grain is activated, nor its row read, for it; an id seen before goes to its booking grain,
/// which replays the booking or refuses the reused key. Reentrant: units book many groups at once in a rush.
/// </summary>
[Reentrant]
internal sealed class UnitGrain(
    [PersistentState("unit", Stores.Main)] IPersistentState<UnitState> legacy,
    [FromKeyedServices(Stores.Main)] IGrainStorage storage,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock) : Grain, IUnitGrain
{
    /// <summary>The ids of every booking stored (or perhaps stored) for this unit, read at the first booking.</summary>
    private Task<HashSet<string>>? _known;

    /// <summary>Creations under way, by booking id: a second request with the same key waits for the first.</summary>
    private readonly Dictionary<string, Task> _creating = new(StringComparer.Ordinal);

    /// <summary>
    /// Requests whose placement call failed (timed out, say): the venue-day may still store them. Until this activation
    /// goes, a retry with the same key must ask for the same booking; another body is a reused key, whatever the booking
    /// grain finds stored so far.
    /// </summary>
    private readonly Dictionary<string, NewBooking> _inDoubt = new(StringComparer.Ordinal);

    /// <summary>The index entry of <paramref name="bookingId"/> under the unit <paramref name="unit"/>.</summary>
    internal static GrainIndexEntry IndexEntry(GrainId unit, string bookingId) => new(unit, bookingId);

    private IGrainRows Rows => storage as IGrainRows ?? throw new NotSupportedException($"{storage.GetType().Name} cannot list a unit's bookings");

    public async Task<BookingResult> CreateBookingAsync(string bookingId, NewBooking request)
    {
        if (request.UnitId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"a booking of unit {request.UnitId} was sent to unit {this.GetPrimaryKeyString()}", nameof(request));
        }
        var known = await KnownAsync();
        while (_creating.TryGetValue(bookingId, out var earlier))
        {
            // Whatever became of it, failure included, the booking grain or a new placement tells below.
            await Task.WhenAny(earlier);
            if (_creating.GetValueOrDefault(bookingId) == earlier)
            {
                _creating.Remove(bookingId);
            }
        }
        if (_inDoubt.TryGetValue(bookingId, out var first) && first != request)
        {
            return BookingResult.Fail(BookingFailure.KeyReused);
        }
        if (known.Contains(bookingId))
        {
            return await GrainFactory.GetGrain<IBookingGrain>(bookingId).CreateAsync(request);
        }
        var creating = BookingGrain.PlaceNewAsync(GrainFactory, bookingId, request, clock.GetUtcNow(), () =>
        {
            known.Add(bookingId);
            _inDoubt[bookingId] = request;
        });
        _creating[bookingId] = creating;
        try
        {
            var (result, stored) = await creating;
            if (stored is not null)
            {
                known.Add(bookingId);
            }
            return result;
        }
        finally
        {
            _creating.Remove(bookingId);
        }
    }

    public async Task<IReadOnlyList<string>> GetBookingIdsAsync() =>
        [.. legacy.State.BookingIds.Concat(await Rows.ListIndexAsync(this.GetGrainId())).Distinct(StringComparer.Ordinal)];

    private async Task<HashSet<string>> KnownAsync()
    {
        _known ??= LoadKnownAsync();
        try
        {
            return await _known;
        }
        catch
        {
            _known = null; // read again next time
            throw;
        }
    }

    private async Task<HashSet<string>> LoadKnownAsync() => [.. await GetBookingIdsAsync()];
}

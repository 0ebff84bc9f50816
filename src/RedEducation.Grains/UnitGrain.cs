using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;

namespace RedEducation.Grains;

/// <summary>The list as a whole row: how units were stored before the index rows. Read at activation, never written again.</summary>
internal sealed class UnitState
{
    public List<string> BookingIds { get; set; } = [];
}

/// <summary>
/// A unit's bookings: an index entry per booking under the unit's grain id, which the venue-day stores in the same
/// commit as the booking's placement; listing reads the index. Nothing is rewritten as a unit books all season, and the
/// unit is not a stop on the way of every booking.
/// </summary>
[Reentrant]
internal sealed class UnitGrain(
    [PersistentState("unit", Stores.Main)] IPersistentState<UnitState> legacy,
    [FromKeyedServices(Stores.Main)] IGrainStorage storage) : Grain, IUnitGrain
{
    /// <summary>The index entry of <paramref name="bookingId"/> under the unit <paramref name="unit"/>.</summary>
    internal static GrainIndexEntry IndexEntry(GrainId unit, string bookingId) => new(unit, bookingId);

    private IGrainRows Rows => storage as IGrainRows ?? throw new NotSupportedException($"{storage.GetType().Name} cannot list a unit's bookings");

    /// <summary>Adds the index entry unless it is there; a booking's first placement adds it by itself.</summary>
    public Task AddBookingAsync(string bookingId) => Rows.AddToIndexAsync(IndexEntry(this.GetGrainId(), bookingId));

    public async Task<IReadOnlyList<string>> GetBookingIdsAsync() =>
        [.. legacy.State.BookingIds.Concat(await Rows.ListIndexAsync(this.GetGrainId())).Distinct(StringComparer.Ordinal)];
}

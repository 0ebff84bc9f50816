using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;

namespace RedEducation.Grains;

/// <summary>The list as a whole row: how units were stored before the index rows. Read at activation, never written again.</summary>
internal sealed class UnitState
{
    public List<string> BookingIds { get; set; } = [];
}

/// <summary>One entry of a unit's index of bookings: a row of its own, named after the booking.</summary>
internal sealed record UnitBookingEntry(string BookingId);

/// <summary>
/// A unit's bookings. Each booking has an index row of its own under the unit ("unit-booking/{id}"), which the venue-day
/// stores in the same commit as the booking's placement; listing reads the rows. Nothing is rewritten as a unit books all
/// season, and the unit is not a stop on the way of every booking.
/// </summary>
[Reentrant]
internal sealed class UnitGrain(
    [PersistentState("unit", Stores.Main)] IPersistentState<UnitState> legacy,
    [FromKeyedServices(Stores.Main)] IGrainStorage storage) : Grain, IUnitGrain
{
    private const string IndexPrefix = "unit-booking/";

    /// <summary>The index row of <paramref name="bookingId"/> under the unit <paramref name="unit"/>.</summary>
    internal static GrainRow IndexRow(GrainId unit, string bookingId) => new(IndexPrefix + bookingId, unit, new UnitBookingEntry(bookingId));

    private IGrainRows Rows => storage as IGrainRows ?? throw new NotSupportedException($"{storage.GetType().Name} cannot list a unit's bookings");

    /// <summary>Stores the index row unless it is there; a booking's first placement stores it by itself.</summary>
    public Task AddBookingAsync(string bookingId) => Rows.InsertAsync(IndexRow(this.GetGrainId(), bookingId));

    public async Task<IReadOnlyList<string>> GetBookingIdsAsync()
    {
        var indexed = await Rows.ListStateNamesAsync(this.GetGrainId(), IndexPrefix);
        return [.. legacy.State.BookingIds.Concat(indexed.Select(name => name[IndexPrefix.Length..])).Distinct(StringComparer.Ordinal)];
    }
}

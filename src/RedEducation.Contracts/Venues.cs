using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;

namespace RedEducation.Contracts;

// Domain records (VenueProfile, Refusal, ...) cross grain calls through the JSON codec registered for the
// RedEducation.Domain namespace, so that the Domain project stays free of Orleans.

/// <summary>A venue's profile and rules. Key: the venue id.</summary>
public interface IVenueGrain : IGrainWithStringKey
{
    Task<VenueProfile?> GetAsync();

    /// <summary>
    /// The profile, for a venue-day that keeps a copy of it: the venue tells that venue-day of every change for a while
    /// (<see cref="IVenueDayGrain.VenueChangedAsync"/>), and the venue-day asks again before that while is over.
    /// </summary>
    Task<VenueProfile?> WatchAsync(string venueDayKey);

    /// <summary>Applies the seed file's profile unless an administrator has edited this venue.</summary>
    Task SeedAsync(VenueProfile profile);

    /// <summary>An administrator's edit; later seeds no longer overwrite the venue.</summary>
    Task UpdateAsync(VenueProfile profile);
}


/// <summary>One venue on one day: the single place where that day's capacity is decided. Key: "venueId/yyyy-MM-dd".</summary>
public interface IVenueDayGrain : IGrainWithStringKey
{
    Task<PlacementResult> PlaceAsync(PlacementRequest request);

    /// <summary>
    /// Places a new booking (placement id = booking id) and stores, in the same commit, the booking's own record and its
    /// unit's index entry: a placement is never durable without them, and a refused booking stores nothing.
    /// </summary>
    Task<PlacementResult> PlaceNewBookingAsync(string bookingId, NewBooking booking, DateTimeOffset createdAt);

    Task<PlacementResult> ResizeAsync(string placementId, int headcount);
    Task<PlacementResult> CancelAsync(string placementId);
    Task<PlacementView?> GetPlacementAsync(string placementId);

    /// <summary>Every placement of the day, cancelled ones included, in arrival order.</summary>
    Task<IReadOnlyList<PlacementView>> GetPlacementsAsync();
    Task<DayAvailability> GetAvailabilityAsync();

    /// <summary>
    /// The venue's profile changed: later decisions of this day follow it. Null: the venue will no longer tell of changes
    /// (it is going away), so the day asks again before its next decision.
    /// </summary>
    Task VenueChangedAsync(VenueProfile? profile);
}

public static class VenueDayKey
{
    public static string Of(string venueId, DateOnly date) => $"{venueId}/{date:yyyy-MM-dd}";

    public static (string VenueId, DateOnly Date) Parse(string key)
    {
        var cut = key.LastIndexOf('/');
        return (key[..cut], DateOnly.ParseExact(key[(cut + 1)..], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }
}

[GenerateSerializer, Immutable, Alias("redu.PlacementView")]
public sealed record PlacementView(
    [property: Id(0)] string PlacementId,
    [property: Id(1)] string UnitId,
    [property: Id(2)] TimeOnly Slot,
    [property: Id(3)] int Headcount,
    [property: Id(4)] PlacementStatus Status,
    [property: Id(5)] int WaitlistPosition);

[GenerateSerializer, Immutable, Alias("redu.PlacementResult")]
public sealed record PlacementResult(
    [property: Id(0)] Refusal Refusal,
    [property: Id(1)] PlacementView? Placement)
{
    public bool Accepted => Refusal == Refusal.None;
}

[GenerateSerializer, Immutable, Alias("redu.SlotAvailability")]
public sealed record SlotAvailability(
    [property: Id(0)] TimeOnly Start,
    [property: Id(1)] TimeOnly End,
    [property: Id(2)] int Capacity,
    [property: Id(3)] int Booked,
    [property: Id(4)] int Remaining,
    [property: Id(5)] int Waitlisted);

[GenerateSerializer, Immutable, Alias("redu.DayAvailability")]
public sealed record DayAvailability(
    [property: Id(0)] string VenueId,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] bool Open,
    [property: Id(3)] IReadOnlyList<SlotAvailability> Slots);

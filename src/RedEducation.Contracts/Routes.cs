namespace RedEducation.Contracts;

/// <summary>A saved study route: an ordered list of venues with notes. Key: the route id ("liaoshen" is predefined).</summary>
public interface IStudyRouteGrain : IGrainWithStringKey
{
    Task<StudyRoute?> GetAsync();
    Task SaveAsync(StudyRoute route);

    /// <summary>Saves <paramref name="route"/> only if no route is stored yet; false when one was.</summary>
    Task<bool> CreateAsync(StudyRoute route);
}

public static class StudyRoutes
{
    /// <summary>The predefined route of the Liaoshen Campaign.</summary>
    public const string Liaoshen = "liaoshen";
}

[GenerateSerializer, Immutable, Alias("redu.StudyRoute")]
public sealed record StudyRoute(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] IReadOnlyList<string> VenueIds,
    [property: Id(3)] string Notes,
    [property: Id(4)] string Owner,
    [property: Id(5)] bool SharedWithUnits,
    [property: Id(6)] DateTimeOffset SavedAt);

/// <summary>
/// Books every stop of a planned day for one group, or none. Key: derived from the unit and its idempotency key, so a
/// retry finds the same attempt.
/// </summary>
public interface IRouteBookingGrain : IGrainWithStringKey
{
    Task<RouteBookingResult> BookAsync(RouteBookingRequest request);
    Task<RouteBookingResult?> GetAsync();

    /// <summary>Finishes an attempt a crash interrupted: undoes whatever part of it was booked.</summary>
    Task RecoverAsync();
}

[GenerateSerializer, Immutable, Alias("redu.RouteStopRequest")]
public sealed record RouteStopRequest(
    [property: Id(0)] string VenueId,
    [property: Id(1)] DateOnly Date,
    [property: Id(2)] TimeOnly Slot);

[GenerateSerializer, Immutable, Alias("redu.RouteBookingRequest")]
public sealed record RouteBookingRequest(
    [property: Id(0)] string UnitId,
    [property: Id(1)] IReadOnlyList<RouteStopRequest> Stops,
    [property: Id(2)] int Headcount,
    [property: Id(3)] string ContactName,
    [property: Id(4)] string ContactPhone);

[GenerateSerializer, Alias("redu.RouteBookingStatus")]
public enum RouteBookingStatus
{
    InProgress,
    Confirmed,
    Failed,
}

[GenerateSerializer, Immutable, Alias("redu.RouteBookingResult")]
public sealed record RouteBookingResult(
    [property: Id(0)] string Id,
    [property: Id(1)] RouteBookingStatus Status,
    [property: Id(2)] IReadOnlyList<BookingView> Bookings,
    [property: Id(3)] int FailedStop,
    [property: Id(4)] BookingResult? Failure,
    [property: Id(5)] bool Created);

namespace RedEducation.Contracts;

/// <summary>A named, ordered set of ids: the venues, the saved study routes, the route bookings in flight. Key: see <see cref="Catalogs"/>.</summary>
public interface ICatalogGrain : IGrainWithStringKey
{
    Task<IReadOnlyList<string>> ListAsync();
    Task AddAsync(string id);
    Task RemoveAsync(string id);
}

public static class Catalogs
{
    public const string Venues = "venues";
    public const string StudyRoutes = "study-routes";
    /// <summary>Route bookings that started and have not finished: what to recover after a crash.</summary>
    public const string RouteBookingsInFlight = "route-bookings-in-flight";
}

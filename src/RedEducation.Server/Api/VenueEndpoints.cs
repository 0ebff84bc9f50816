using System.Security.Claims;
using RedEducation.Contracts;
using RedEducation.Domain.Venues;
using RedEducation.Server.Audit;
using RedEducation.Server.Routes;

namespace RedEducation.Server.Api;

public sealed record LocationDto(double Lat, double Lon);

public sealed record CoordinateDto(string Source, string Datum, int AccuracyMeters, bool Approximate);

public sealed record HoursDto(TimeOnly Open, TimeOnly LastEntry, TimeOnly Close);

public sealed record VenueDto(
    string Id,
    string Kind,
    LocalizedText Name,
    string City,
    LocalizedText CityName,
    LocalizedText Address,
    LocationDto Location,
    CoordinateDto Coordinate,
    string TimeZone,
    HoursDto Hours,
    IReadOnlyList<DayOfWeek> ClosedWeekdays,
    IReadOnlyList<DayOverride> Exceptions,
    IReadOnlyList<SlotDto> Slots,
    int SlotMinutes,
    int SlotCapacity,
    int DailyCap,
    int GroupMin,
    int GroupMax,
    int LeadMinDays,
    int LeadMaxDays,
    int UnitCapPerDay,
    int VisitMinutes,
    IReadOnlyList<SecondResource> Resources,
    LocalizedText Requirements,
    CampaignStop? LiaoshenRoute,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Assumed)
{
    public static VenueDto From(VenueProfile v) => new(
        v.Id, v.Kind, v.Name, v.City.Zh, v.City, v.Address,
        new LocationDto(v.Coordinate.Point.Lat, v.Coordinate.Point.Lon),
        new CoordinateDto(v.Coordinate.Source, v.Coordinate.Datum, v.Coordinate.AccuracyMeters, v.Coordinate.Approximate),
        v.TimeZone, new HoursDto(v.Hours.Open, v.Hours.LastEntry, v.Hours.Close), v.ClosedWeekdays, v.Exceptions,
        [.. v.DailySlots().Select(s => new SlotDto(s.Start, s.End))],
        v.Limits.SlotMinutes, v.Limits.SlotCapacity, v.Limits.DailyCap, v.Limits.GroupMin, v.Limits.GroupMax,
        v.Limits.LeadMinDays, v.Limits.LeadMaxDays, v.Limits.UnitCapPerDay, v.VisitMinutes, v.Resources, v.Requirements,
        v.CampaignStop, v.Sources, v.Assumed);
}

public sealed record SlotDto(TimeOnly Start, TimeOnly End);

public sealed record SlotAvailabilityDto(TimeOnly Start, TimeOnly End, int Capacity, int Booked, int Remaining, int Waitlisted);

public sealed record AvailabilityDto(string VenueId, DateOnly Date, bool Open, IReadOnlyList<SlotAvailabilityDto> Slots);

/// <summary>An administrator's change to a venue's rules; absent fields stay as they are.</summary>
public sealed record VenuePatch(
    HoursDto? Hours,
    IReadOnlyList<DayOfWeek>? ClosedWeekdays,
    IReadOnlyList<DayOverride>? Exceptions,
    int? SlotMinutes,
    int? SlotCapacity,
    int? DailyCap,
    int? GroupMin,
    int? GroupMax,
    int? LeadMinDays,
    int? LeadMaxDays,
    int? UnitCapPerDay,
    int? VisitMinutes,
    LocationPatch? Location = null)
{
    /// <summary>The venue with the patch applied; <paramref name="wgs84"/> is <see cref="Location"/> converted to WGS84, when given.</summary>
    public VenueProfile ApplyTo(VenueProfile v, GeoPoint? wgs84 = null)
    {
        var l = v.Limits;
        return v with
        {
            Coordinate = wgs84 is null || Location is null ? v.Coordinate : new VenueCoordinate(
                wgs84, Location.Source?.Trim() is { Length: > 0 } source ? source : $"set by an administrator ({Location.Datum ?? "wgs84"} input)",
                "WGS84", Location.AccuracyMeters ?? v.Coordinate.AccuracyMeters, Location.Approximate ?? v.Coordinate.Approximate),
            Hours = Hours is null ? v.Hours : new DailyHours(Hours.Open, Hours.LastEntry, Hours.Close),
            ClosedWeekdays = ClosedWeekdays ?? v.ClosedWeekdays,
            Exceptions = Exceptions ?? v.Exceptions,
            VisitMinutes = VisitMinutes ?? v.VisitMinutes,
            Limits = new BookingLimits(
                SlotMinutes ?? l.SlotMinutes, SlotCapacity ?? l.SlotCapacity, DailyCap ?? l.DailyCap,
                GroupMin ?? l.GroupMin, GroupMax ?? l.GroupMax, LeadMinDays ?? l.LeadMinDays, LeadMaxDays ?? l.LeadMaxDays,
                UnitCapPerDay ?? l.UnitCapPerDay),
        };
    }
}

/// <summary>
/// A venue's new position as read off a map: <see cref="Datum"/> wgs84 (the default), gcj02 (Amap, Tencent) or bd09
/// (Baidu); the server converts it to WGS84 with <see cref="RedEducation.Domain.Geography.ChinaCoordinates"/> and stores only that.
/// </summary>
public sealed record LocationPatch(double? Lat, double? Lon, string? Datum, int? AccuracyMeters, bool? Approximate, string? Source);

public static class VenueEndpoints
{
    public static void MapVenues(this RouteGroupBuilder api)
    {
        var venues = api.MapGroup("/venues");
        venues.MapGet("/", ListAsync);
        venues.MapGet("/{venueId}", GetAsync);
        venues.MapGet("/{venueId}/availability", AvailabilityAsync);
        venues.MapPatch("/{venueId}", PatchAsync).RequireAuthorization(ApiSetup.AdminOnly);
    }

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var ids = await grains.GetGrain<ICatalogGrain>(Catalogs.Venues).ListAsync();
        var profiles = await Task.WhenAll(ids.Select(id => grains.GetGrain<IVenueGrain>(id).GetAsync()));
        return TypedResults.Ok(profiles.OfType<VenueProfile>().Select(VenueDto.From));
    }

    private static async Task<IResult> GetAsync(string venueId, IGrainFactory grains) =>
        await FindAsync(venueId, grains) is { } venue ? TypedResults.Ok(VenueDto.From(venue)) : Problems.Result("venue-not-found");

    private static async Task<IResult> AvailabilityAsync(string venueId, string? date, IGrainFactory grains)
    {
        if (await FindAsync(venueId, grains) is null)
        {
            return Problems.Result("venue-not-found");
        }
        if (!ApiJson.TryParseDate(date, out var day))
        {
            return Problems.Validation("date", "required, as YYYY-MM-DD");
        }
        var a = await grains.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venueId, day)).GetAvailabilityAsync();
        return TypedResults.Ok(new AvailabilityDto(a.VenueId, a.Date, a.Open,
            [.. a.Slots.Select(s => new SlotAvailabilityDto(s.Start, s.End, s.Capacity, s.Booked, s.Remaining, s.Waitlisted))]));
    }

    private static async Task<IResult> PatchAsync(string venueId, VenuePatch patch, ClaimsPrincipal user, IGrainFactory grains, AuditLog audit)
    {
        if (await FindAsync(venueId, grains) is not { } venue)
        {
            return Problems.Result("venue-not-found");
        }
        if (patch.Exceptions?.Any(e => e is null) == true)
        {
            // A null entry binds from JSON but breaks every later opening-day check of the venue.
            return Problems.Validation("exceptions", "entries must be objects, not null");
        }
        if (patch.ClosedWeekdays?.Any(d => !Enum.IsDefined(d)) == true)
        {
            return Problems.Validation("closedWeekdays", "entries must be weekday names");
        }
        GeoPoint? wgs84 = null;
        if (patch.Location is { } location)
        {
            if (!RouteEndpoints.TryDatum(location.Datum, out var datum))
            {
                return Problems.Validation("location.datum", "wgs84, gcj02 or bd09");
            }
            if (location is not { Lat: { } lat, Lon: { } lon } || !new GeoPoint(lat, lon).IsValid)
            {
                return Problems.Validation("location", "lat in [-90, 90] and lon in [-180, 180]");
            }
            if (location.Source is { Length: > 500 })
            {
                return Problems.Validation("location.source", "at most 500 characters");
            }
            var point = RoadNetwork.ToWgs84(lat, lon, datum);
            wgs84 = new GeoPoint(Math.Round(point.Y, 7), Math.Round(point.X, 7));
        }
        var changed = patch.ApplyTo(venue, wgs84);
        var problems = changed.Problems();
        if (problems.Count > 0)
        {
            return Problems.Result("validation-failed", "the venue's rules would not be consistent",
                problems.GroupBy(p => p.Field).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
        }
        await grains.GetGrain<IVenueGrain>(venueId).UpdateAsync(changed);
        await audit.RecordAsync(user, AuditActions.VenueUpdate, venueId, AuditLog.Summarize(patch));
        return TypedResults.Ok(VenueDto.From(changed));
    }

    /// <summary>The venue with that id, or null; ids that cannot name a venue never reach a grain.</summary>
    public static Task<VenueProfile?> FindAsync(string venueId, IGrainFactory grains) =>
        VenueIds.IsValid(venueId) ? grains.GetGrain<IVenueGrain>(venueId).GetAsync() : Task.FromResult<VenueProfile?>(null);
}

using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using NetTopologySuite.Geometries;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.Routes;
using RedEducation.Domain.Venues;
using RedEducation.Geo;
using RedEducation.Server.Auth;
using RedEducation.Server.Routes;

namespace RedEducation.Server.Api;

public sealed record GeoJsonLineString(string Type, IReadOnlyList<double[]> Coordinates)
{
    public static GeoJsonLineString Of(IEnumerable<Coordinate> points) =>
        new("LineString", [.. points.Select(c => new[] { Math.Round(c.X, 6), Math.Round(c.Y, 6) })]);
}

public sealed record RouteFeature(string Type, GeoJsonLineString Geometry, RouteProperties Properties);

/// <summary>Length and time of a route; <see cref="From"/> and <see cref="To"/> are the WGS84 points asked for, after any datum conversion.</summary>
public sealed record RouteProperties(double DistanceMeters, double DurationSeconds, string Network, double[] From, double[] To);

/// <summary>A start given as a venue id, or as a point in WGS84, GCJ-02 or BD-09.</summary>
[JsonConverter(typeof(PlanStartConverter))]
public sealed record PlanStart(string? VenueId, double? Lat, double? Lon, string? Datum);

public sealed record PlanBody(PlanStart? Start, IReadOnlyList<string>? Venues, string? Date, string? DepartAt, bool? ReturnToStart, int? Headcount);

public sealed record PlannedStopDto(string VenueId, LocalizedText Name, TimeOnly Arrive, TimeOnly VisitStart, TimeOnly Depart, TimeOnly Slot);

public sealed record LegDto(string From, string To, double DistanceMeters, double DurationSeconds);

public sealed record PlanDto(
    DateOnly Date, TimeOnly DepartAt, IReadOnlyList<PlannedStopDto> Stops, IReadOnlyList<LegDto> Legs,
    double TotalDistanceMeters, double TotalDurationSeconds, TimeOnly? ReturnAt, GeoJsonLineString Geometry);

public sealed record CampaignStopDto(int Order, string VenueId, LocalizedText Name, DateOnly From, DateOnly To, LocalizedText Text, LocationDto Location, bool Approximate, int AccuracyMeters);

public sealed record CampaignRouteDto(string Id, string Name, IReadOnlyList<CampaignStopDto> Stops, double TotalDistanceMeters, double TotalDurationSeconds, GeoJsonLineString Geometry);

public sealed record StudyRouteBody(string? Name, IReadOnlyList<string>? VenueIds, string? Notes, bool? SharedWithUnits);

public sealed record RouteStopBody(string? VenueId, string? Date, string? Slot);

public sealed record RoutePlanRef(string? Date, IReadOnlyList<RouteStopBody>? Stops);

public sealed record RouteBookingBody(RoutePlanRef? Plan, int? Headcount, string? ContactName, string? ContactPhone, string? UnitId);

public sealed record RouteBookingDto(string Id, RouteBookingStatus Status, IReadOnlyList<BookingDto> Bookings);

public static class RouteEndpoints
{
    public const int MaxStops = 10;

    public static void MapRoutes(this RouteGroupBuilder api)
    {
        var routes = api.MapGroup("/routes").RequireAuthorization(ApiSetup.RouteReaders);
        routes.MapGet("/shortest", ShortestAsync).RequireRateLimiting(RequestLimits.RoutePlans);
        routes.MapPost("/plan", PlanAsync).RequireRateLimiting(RequestLimits.RoutePlans);
        routes.MapGet("/liaoshen", LiaoshenAsync);
        routes.MapGet("/", ListAsync);
        routes.MapGet("/{routeId}", GetAsync);
        routes.MapPost("/", SaveAsync).RequireAuthorization(ApiSetup.PlannerOrAdmin);
        routes.MapPost("/bookings", BookAsync).RequireAuthorization(ApiSetup.UnitOrAdmin)
            .RequireRateLimiting(RequestLimits.BookingChanges).WithBodyLimit(RequestLimits.BatchBodyBytes);
    }

    private static async Task<IResult> ShortestAsync(string? from, string? to, string? datum, IGrainFactory grains, RoadNetwork network)
    {
        if (!TryDatum(datum, out var d))
        {
            return Problems.Validation("datum", "wgs84, gcj02 or bd09");
        }
        var (a, aProblem) = await EndpointAsync(from, "from", d, grains);
        var (b, bProblem) = await EndpointAsync(to, "to", d, grains);
        if ((aProblem ?? bProblem) is { } problem)
        {
            return problem;
        }
        var route = network.Router.Shortest(a!, b!, RouteMetric.Time);
        return route is null
            ? Problems.Result("no-route")
            : TypedResults.Ok(new RouteFeature("Feature", GeoJsonLineString.Of(route.Geometry.Coordinates),
                new RouteProperties(Math.Round(route.DistanceMeters, 1), Math.Round(route.DurationSeconds, 1), network.Source,
                    [Math.Round(a!.X, 7), Math.Round(a.Y, 7)], [Math.Round(b!.X, 7), Math.Round(b.Y, 7)])));
    }

    private static async Task<IResult> PlanAsync(PlanBody body, HttpContext http, IGrainFactory grains, RoadNetwork network)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.Venues is not { Count: >= 1 and <= MaxStops } || body.Venues.Distinct().Count() != body.Venues.Count)
        {
            errors["venues"] = [$"1 to {MaxStops} different venue ids"];
        }
        if (!ApiJson.TryParseDate(body.Date, out var date))
        {
            errors["date"] = ["required, as YYYY-MM-DD"];
        }
        var departAt = new TimeOnly(8, 0);
        if (body.DepartAt is not null && !ApiJson.TryParseTime(body.DepartAt, out departAt))
        {
            errors["departAt"] = ["as HH:mm"];
        }
        if (body.Headcount is < 1 or > 10_000)
        {
            errors["headcount"] = ["a whole number from 1 to 10000"];
        }
        if (body.Start is null)
        {
            errors["start"] = ["a venue id or { lat, lon, datum? }"];
        }
        if (errors.Count > 0)
        {
            return Problems.Result("validation-failed", "the plan request has invalid fields", errors);
        }
        if (!TryDatum(body.Start!.Datum, out var datum))
        {
            return Problems.Validation("start.datum", "wgs84, gcj02 or bd09");
        }
        var (start, startProblem) = body.Start.VenueId is { } startVenue
            ? await EndpointAsync(startVenue, "start", datum, grains)
            : body.Start is { Lat: { } lat, Lon: { } lon } ? Point(lat, lon, "start", datum) : (null, Problems.Validation("start", "a venue id or { lat, lon }"));
        if (startProblem is not null)
        {
            return startProblem;
        }
        var venues = new List<VenueProfile>();
        foreach (var id in body.Venues!)
        {
            if (await VenueEndpoints.FindAsync(id, grains) is not { } venue)
            {
                return Problems.Result("venue-not-found", $"no venue '{id}'");
            }
            venues.Add(venue);
        }

        var headcount = body.Headcount ?? 1;
        var points = new List<Coordinate> { start! };
        points.AddRange(venues.Select(v => new Coordinate(v.Coordinate.Point.Lon, v.Coordinate.Point.Lat)));
        var seconds = network.Router.DurationMatrix(points);
        var availability = await Task.WhenAll(venues.Select(v => grains.GetGrain<IVenueDayGrain>(VenueDayKey.Of(v.Id, date)).GetAvailabilityAsync()));
        var stops = venues.Select((v, i) => new PlanStop(
            v.Id, availability[i].Open,
            [.. availability[i].Slots.Select(s => new SlotOption(s.Start, s.End, s.Remaining))],
            v.Hours.LastEntry, v.Hours.Close, v.VisitMinutes)).ToList();
        var outcome = StudyDayPlanner.Plan(new PlanRequest(departAt, stops, seconds, body.ReturnToStart ?? false, headcount));
        if (outcome.Plan is not { } plan)
        {
            return Infeasible(outcome, venues);
        }

        var legs = new List<LegDto>();
        var line = new List<Coordinate>();
        var previous = (Index: 0, Name: body.Start.VenueId ?? "start");
        var distance = 0.0;
        void Leg(int toIndex, string toName)
        {
            var route = network.Router.Shortest(points[previous.Index], points[toIndex], RouteMetric.Time)!;
            legs.Add(new LegDto(previous.Name, toName, Math.Round(route.DistanceMeters, 1), Math.Round(route.DurationSeconds, 1)));
            line.AddRange(line.Count > 0 ? route.Geometry.Coordinates.Skip(1) : route.Geometry.Coordinates);
            distance += route.DistanceMeters;
            previous = (toIndex, toName);
        }
        foreach (var visit in plan.Visits)
        {
            Leg(visit.Stop + 1, visit.VenueId);
        }
        if (body.ReturnToStart == true)
        {
            Leg(0, body.Start.VenueId ?? "start");
        }
        var dto = new PlanDto(
            date, departAt,
            [.. plan.Visits.Select(v => new PlannedStopDto(v.VenueId, venues[v.Stop].Name, Clock(v.Arrive), Clock(v.VisitStart), Clock(v.Depart), v.Slot.Start))],
            legs, Math.Round(distance, 1), (plan.Finish - departAt.ToTimeSpan()).TotalSeconds,
            plan.ReturnArrival is { } back ? Clock(back) : null, GeoJsonLineString.Of(line));
        return http.Request.Headers.Accept.Any(a => a?.Contains("application/gpx+xml", StringComparison.OrdinalIgnoreCase) == true)
            ? TypedResults.Text(Gpx.Of(dto, venues), "application/gpx+xml; charset=utf-8")
            : TypedResults.Ok(dto);
    }

    private static async Task<IResult> LiaoshenAsync(IGrainFactory grains, RoadNetwork network)
    {
        var route = await grains.GetGrain<IStudyRouteGrain>(StudyRoutes.Liaoshen).GetAsync();
        if (route is null)
        {
            return Problems.Result("not-found");
        }
        var venues = (await Task.WhenAll(route.VenueIds.Select(id => grains.GetGrain<IVenueGrain>(id).GetAsync()))).OfType<VenueProfile>().ToList();
        var line = new List<Coordinate>();
        double distance = 0, duration = 0;
        for (var i = 1; i < venues.Count; i++)
        {
            var leg = network.Router.Shortest(Of(venues[i - 1]), Of(venues[i]), RouteMetric.Time);
            if (leg is null)
            {
                continue;
            }
            line.AddRange(line.Count > 0 ? leg.Geometry.Coordinates.Skip(1) : leg.Geometry.Coordinates);
            distance += leg.DistanceMeters;
            duration += leg.DurationSeconds;
        }
        return TypedResults.Ok(new CampaignRouteDto(route.Id, route.Name,
            [.. venues.Where(v => v.CampaignStop is not null).Select(v => new CampaignStopDto(
                v.CampaignStop!.Order, v.Id, v.Name, v.CampaignStop.From, v.CampaignStop.To, v.CampaignStop.Text,
                new LocationDto(v.Coordinate.Point.Lat, v.Coordinate.Point.Lon), v.Coordinate.Approximate, v.Coordinate.AccuracyMeters))],
            Math.Round(distance, 1), Math.Round(duration, 1), GeoJsonLineString.Of(line)));
    }

    private static async Task<IResult> ListAsync(ClaimsPrincipal user, IGrainFactory grains)
    {
        var ids = await grains.GetGrain<ICatalogGrain>(Catalogs.StudyRoutes).ListAsync();
        var routes = await Task.WhenAll(ids.Select(id => grains.GetGrain<IStudyRouteGrain>(id).GetAsync()));
        return TypedResults.Ok(routes.OfType<StudyRoute>().Where(r => Visible(r, user)));
    }

    private static async Task<IResult> GetAsync(string routeId, ClaimsPrincipal user, IGrainFactory grains) =>
        RouteIds.IsValid(routeId) && await grains.GetGrain<IStudyRouteGrain>(routeId).GetAsync() is { } route && Visible(route, user)
            ? TypedResults.Ok(route)
            : Problems.Result("not-found");

    private static async Task<IResult> SaveAsync(StudyRouteBody body, ClaimsPrincipal user, IGrainFactory grains, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(body.Name) || body.Name.Length > 100)
        {
            return Problems.Validation("name", "required, at most 100 characters");
        }
        if (body.VenueIds is not { Count: >= 1 and <= MaxStops } || body.Notes is { Length: > 2000 })
        {
            return Problems.Validation("venueIds", $"1 to {MaxStops} venue ids; notes at most 2000 characters");
        }
        foreach (var id in body.VenueIds)
        {
            if (await VenueEndpoints.FindAsync(id, grains) is null)
            {
                return Problems.Result("venue-not-found", $"no venue '{id}'");
            }
        }
        var routeId = $"r{Guid.NewGuid():N}"[..17];
        var route = new StudyRoute(routeId, body.Name.Trim(), body.VenueIds, body.Notes ?? "", user.FindFirst("sub")?.Value ?? "", body.SharedWithUnits ?? false, clock.GetUtcNow());
        await grains.GetGrain<IStudyRouteGrain>(routeId).SaveAsync(route);
        await grains.GetGrain<ICatalogGrain>(Catalogs.StudyRoutes).AddAsync(routeId);
        return TypedResults.Created($"/api/routes/{routeId}", route);
    }

    private static async Task<IResult> BookAsync(
        RouteBookingBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user,
        IGrainFactory grains, Tickets.TicketService tickets)
    {
        var unitId = user.IsAdmin() ? body.UnitId : user.UnitId();
        var stops = new List<RouteStopRequest>();
        foreach (var stop in body.Plan?.Stops ?? [])
        {
            var dateText = stop?.Date ?? body.Plan!.Date;
            if (stop?.VenueId is null || !ApiJson.TryParseDate(dateText, out var date) || !ApiJson.TryParseTime(stop.Slot, out var slot))
            {
                return Problems.Validation("plan.stops", "each stop needs venueId, slot (HH:mm) and a date (the plan's or its own)");
            }
            stops.Add(new RouteStopRequest(stop.VenueId, date, slot));
        }
        if (stops.Count is 0 or > MaxStops)
        {
            return Problems.Validation("plan.stops", $"1 to {MaxStops} stops");
        }
        if (!BookingEndpoints.IsUnitId(unitId) || body.Headcount is not > 0 || !BookingEndpoints.IsName(body.ContactName) || !BookingEndpoints.IsPhone(body.ContactPhone)
            || idempotencyKey is { Length: 0 or > 128 })
        {
            return Problems.Result("validation-failed", "headcount, contactName, contactPhone (and unitId for an administrator) are required",
                new Dictionary<string, string[]> { ["body"] = ["headcount > 0, contactName (1-100 characters), contactPhone (5-32 digits, spaces, '+', '-', '(' or ')'), unitId for admin; Idempotency-Key at most 128 characters"] });
        }
        foreach (var stop in stops)
        {
            if (await VenueEndpoints.FindAsync(stop.VenueId, grains) is null)
            {
                return Problems.Result("venue-not-found", $"no venue '{stop.VenueId}'");
            }
        }
        var attempt = BookingIds.From(unitId, $"route:{idempotencyKey ?? Guid.NewGuid().ToString("N")}");
        var result = await grains.GetGrain<IRouteBookingGrain>(attempt).BookAsync(
            new RouteBookingRequest(unitId, stops, body.Headcount.Value, body.ContactName.Trim(), body.ContactPhone.Trim()));
        if (result.Status == RouteBookingStatus.Confirmed)
        {
            var bookings = await Task.WhenAll(result.Bookings.Select(b => BookingEndpoints.DtoAsync(b, grains, tickets)));
            var dto = new RouteBookingDto(result.Id, result.Status, bookings);
            return result.Created ? TypedResults.Created($"/api/routes/bookings/{result.Id}", dto) : TypedResults.Ok(dto);
        }
        if (result.Failure?.Failure == BookingFailure.KeyReused)
        {
            return Problems.Result("idempotency-key-reused");
        }
        var reason = result.Failure is { } failure ? Problems.NameOf(failure) : "interrupted";
        return TypedResults.Problem(
            $"stop {result.FailedStop + 1} ({(result.FailedStop >= 0 ? stops[result.FailedStop].VenueId : "?")}) was refused: {reason}; nothing was booked",
            statusCode: 409, title: Problems.Catalog["route-not-booked"].Title, type: Problems.TypeUri("route-not-booked"),
            extensions: new Dictionary<string, object?>
            {
                ["failedStop"] = result.FailedStop,
                ["venueId"] = result.FailedStop >= 0 ? stops[result.FailedStop].VenueId : null,
                ["reason"] = reason,
            });
    }

    private static ProblemHttpResult Infeasible(PlanOutcome outcome, IReadOnlyList<VenueProfile> venues)
    {
        var name = outcome.VenueId is { } id ? venues.First(v => v.Id == id).Name : null;
        var why = outcome.Reason switch
        {
            InfeasibleReason.VenueClosed => $"{name?.Zh} 当日闭馆 / {name?.En} is closed that day",
            InfeasibleReason.NoSlotWithRoom => $"{name?.Zh} 无足够名额的时段 / {name?.En} has no slot with room for the group",
            InfeasibleReason.Unreachable => $"{name?.Zh} 不可到达 / no road reaches {name?.En}",
            InfeasibleReason.TooLateInTheDay => $"{name?.Zh} 无法在最后入馆前到达 / {name?.En} cannot be reached before its last entry",
            _ => "所有场馆无法在一天内参观完 / no order fits every venue into the day",
        };
        return TypedResults.Problem(why, statusCode: 422, title: Problems.Catalog["infeasible"].Title, type: Problems.TypeUri("infeasible"),
            extensions: new Dictionary<string, object?> { ["reason"] = Kebab(outcome.Reason.ToString()), ["venueId"] = outcome.VenueId });
    }

    private static async Task<(Coordinate? Point, IResult? Problem)> EndpointAsync(string? text, string field, Datum datum, IGrainFactory grains)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, Problems.Validation(field, "a venue id or 'lat,lon'"));
        }
        var parts = text.Split(',');
        if (parts.Length == 2 && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
        {
            return Point(lat, lon, field, datum);
        }
        return await VenueEndpoints.FindAsync(text, grains) is { } venue
            ? (Of(venue), null)
            : (null, Problems.Result("venue-not-found", $"{field}: no venue '{text}'"));
    }

    private static (Coordinate?, IResult?) Point(double lat, double lon, string field, Datum datum) =>
        new GeoPoint(lat, lon).IsValid
            ? (RoadNetwork.ToWgs84(lat, lon, datum), null)
            : (null, Problems.Validation(field, "latitude in [-90, 90], longitude in [-180, 180]"));

    internal static bool TryDatum(string? text, out Datum datum)
    {
        datum = Datum.Wgs84;
        return text is null || Enum.TryParse(text, ignoreCase: true, out datum) && Enum.IsDefined(datum);
    }

    private static Coordinate Of(VenueProfile venue) => new(venue.Coordinate.Point.Lon, venue.Coordinate.Point.Lat);

    private static TimeOnly Clock(TimeSpan time) => TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(Math.Round(time.TotalMinutes)));

    private static bool Visible(StudyRoute route, ClaimsPrincipal user) => route.SharedWithUnits || !user.IsInRole(Roles.Unit);

    private static string Kebab(string name) => string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? $"-{char.ToLowerInvariant(c)}" : $"{char.ToLowerInvariant(c)}"));
}

/// <summary>Study route ids: predefined names or generated ones.</summary>
public static class RouteIds
{
    public static bool IsValid(string id) => VenueIds.IsValid(id);
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using RedEducation.Domain.Geography;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Testing;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>A server of its own: route bookings here take several venues on one day.</summary>
public sealed class RouteServer : RedEducationServer;

public sealed class RouteApiTests(RouteServer server) : IClassFixture<RouteServer>
{
    private static readonly string[] JinzhouDay = ["tashan-memorial", "peishuichi-battle-site", "heishan-memorial", "mangniutun-command-post"];

    private static DateOnly OpenForAll(int daysAhead, params string[] venues)
    {
        var date = TestDates.Today.AddDays(daysAhead);
        while (!venues.All(v => TestVenues.Seed(v).IsOpenOn(date)))
        {
            date = date.AddDays(1);
        }
        return date;
    }

    private static TimeOnly Time(string text) => TimeOnly.ParseExact(text, "HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    private static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("41.79222,123.43278", "41.88669,123.94363", 45)]   // Shenyang - Fushun
    [InlineData("41.79222,123.43278", "38.91222,121.60222", 375)]  // Shenyang - Dalian
    [InlineData("41.10778,121.14167", "tashan-memorial", 30)]      // Jinzhou - Tashan
    [InlineData("41.10778,121.14167", "41.68917,122.11278", 109)]  // Jinzhou - Heishan
    [InlineData("41.68917,122.11278", "41.79222,123.43278", 135)]  // Heishan - Shenyang
    public async Task Shortest_BetweenCities_WithinTenPercentOfThePublishedRoadDistance(string from, string to, double publishedKm)
    {
        var planner = await server.ClientForAsync("planner");

        var feature = await planner.GetObjectAsync($"/api/routes/shortest?from={from}&to={to}");

        Assert.Equal("Feature", feature.Str("type"));
        Assert.Equal("LineString", feature["geometry"].Str("type"));
        Assert.True(feature["geometry"]!["coordinates"]!.AsArray().Count >= 2);
        var km = (double)feature["properties"]!["distanceMeters"]! / 1000;
        Assert.InRange(km, publishedKm * 0.9, publishedKm * 1.1);
        Assert.True((double)feature["properties"]!["durationSeconds"]! > km * 60 / 2); // not faster than 120 km/h on average
    }

    [Fact]
    public async Task Shortest_GivenInGcj02_SameRouteAsItsWgs84Point()
    {
        var planner = await server.ClientForAsync("planner");
        var gcj = ChinaCoordinates.Wgs84ToGcj02(new LatLon(41.88669, 123.94363));

        var wgs = await planner.GetObjectAsync("/api/routes/shortest?from=shenyang-cpv-cemetery&to=41.88669,123.94363");
        var converted = await planner.GetObjectAsync(FormattableString.Invariant($"/api/routes/shortest?from=shenyang-cpv-cemetery&to={gcj.Lat},{gcj.Lon}&datum=gcj02"));
        var unconverted = await planner.GetObjectAsync(FormattableString.Invariant($"/api/routes/shortest?from=shenyang-cpv-cemetery&to={gcj.Lat},{gcj.Lon}"));

        static double OffsetMeters(JsonObject a, JsonObject b)
        {
            var (p, q) = (a["properties"]!["to"]!.AsArray(), b["properties"]!["to"]!.AsArray());
            var dLat = ((double)p[1]! - (double)q[1]!) * 111_320;
            var dLon = ((double)p[0]! - (double)q[0]!) * 111_320 * Math.Cos((double)p[1]! * Math.PI / 180);
            return Math.Sqrt(dLat * dLat + dLon * dLon);
        }
        Assert.True(OffsetMeters(wgs, converted) < 1, $"converted point is {OffsetMeters(wgs, converted)} m off");
        Assert.InRange(OffsetMeters(wgs, unconverted), 300, 800); // the GCJ-02 offset near Fushun, about half a kilometre
        Assert.Equal((double)wgs["properties"]!["distanceMeters"]!, (double)converted["properties"]!["distanceMeters"]!, 1.0);
    }

    [Fact]
    public async Task Shortest_BadInput_ProblemsNotErrors()
    {
        var planner = await server.ClientForAsync("planner");

        await planner.GetAsync("/api/routes/shortest?from=nowhere&to=leifeng-memorial", Ct).ProblemAsync(HttpStatusCode.NotFound, "venue-not-found");
        await planner.GetAsync("/api/routes/shortest?from=91,200&to=leifeng-memorial", Ct).ValidationProblemAsync("from");
        await planner.GetAsync("/api/routes/shortest?to=leifeng-memorial", Ct).ValidationProblemAsync("from");
        await planner.GetAsync("/api/routes/shortest?from=leifeng-memorial&to=liaoshen-memorial&datum=mars", Ct).ValidationProblemAsync("datum");
        using var anonymous = await server.Anonymous().GetAsync(new Uri("/api/routes/shortest?from=leifeng-memorial&to=liaoshen-memorial", UriKind.Relative), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task Plan_FourJinzhouSites_VisitsAllInTimeWithLegsAndGeometry()
    {
        var planner = await server.ClientForAsync("planner");
        var date = OpenForAll(6, JinzhouDay);

        var plan = await planner.PostAsJsonAsync("/api/routes/plan",
            new { start = "liaoshen-memorial", venues = JinzhouDay, date = Day(date), departAt = "07:30", returnToStart = true, headcount = 30 }, Ct).OkAsync();

        var stops = plan["stops"]!.AsArray();
        Assert.Equal(JinzhouDay.Order(), stops.Select(s => s.Str("venueId")).Order());
        var times = stops.SelectMany(s => new[] { s.Str("arrive"), s.Str("visitStart"), s.Str("depart") }).Select(Time).ToList();
        Assert.Equal(times.Order(), times);
        Assert.All(stops, s => Assert.True(Time(s.Str("visitStart")) >= Time(s.Str("slot"))));
        Assert.Equal(5, plan["legs"]!.AsArray().Count);
        Assert.Equal(plan["legs"]!.AsArray().Sum(l => (double)l!["distanceMeters"]!), (double)plan["totalDistanceMeters"]!, 1.0);
        Assert.True(plan["geometry"]!["coordinates"]!.AsArray().Count > 5);
    }

    [Fact]
    public async Task Plan_AsGpx_WaypointsInVisitingOrderAndATrack()
    {
        var planner = await server.ClientForAsync("planner");
        var date = OpenForAll(6, JinzhouDay);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/routes/plan")
        {
            Content = JsonContent.Create(new { start = new { lat = 41.10778, lon = 121.14167 }, venues = JinzhouDay, date = Day(date), departAt = "08:00" }),
        };
        request.Headers.Accept.ParseAdd("application/gpx+xml");

        using var response = await planner.SendAsync(request, Ct);
        // Read from the bytes, as a GPX tool reads a saved file: the declared encoding must be the one sent.
        using var bytes = new MemoryStream(await response.Content.ReadAsByteArrayAsync(Ct));
        var gpx = XDocument.Load(bytes);

        XNamespace ns = "http://www.topografix.com/GPX/1/1";
        Assert.Equal("application/gpx+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", gpx.Declaration?.Encoding, ignoreCase: true);
        Assert.Equal(4, gpx.Root!.Elements(ns + "wpt").Count());
        Assert.True(gpx.Root.Element(ns + "trk")!.Descendants(ns + "trkpt").Count() > 5);
    }

    [Fact]
    public async Task Plan_ClosedVenueOrTooMuchForOneDay_InfeasibleWithTheReason()
    {
        var planner = await server.ClientForAsync("planner");
        var monday = TestDates.Today.AddDays(5);
        while (monday.DayOfWeek != DayOfWeek.Monday || !TestVenues.Seed("peishuichi-battle-site").IsOpenOn(monday))
        {
            monday = monday.AddDays(1);
        }
        var wholeProvince = TestVenues.Seeded.Select(v => v.Id).ToArray();

        var closed = await planner.PostAsJsonAsync("/api/routes/plan",
            new { start = "peishuichi-battle-site", venues = new[] { "liaoshen-memorial" }, date = Day(monday) }, Ct).ProblemAsync(HttpStatusCode.UnprocessableEntity, "infeasible");
        var tooMuch = await planner.PostAsJsonAsync("/api/routes/plan",
            new { start = "liaoshen-memorial", venues = wholeProvince, date = Day(OpenForAll(6, wholeProvince)) }, Ct).ProblemAsync(HttpStatusCode.UnprocessableEntity, "infeasible");

        Assert.Equal("venue-closed", closed.Str("reason"));
        Assert.Equal("liaoshen-memorial", closed.Str("venueId"));
        Assert.Contains(tooMuch.Str("reason"), new[] { "no-order-fits-the-day", "too-late-in-the-day" });
        await planner.PostAsJsonAsync("/api/routes/plan", new { start = "liaoshen-memorial", venues = Array.Empty<string>(), date = Day(monday) }, Ct).ValidationProblemAsync("venues");
    }

    [Fact]
    public async Task Liaoshen_FiveStopsInHistoricalOrderWithGeometry()
    {
        var unit = await server.ClientForAsync("unit1");

        var route = await unit.GetObjectAsync("/api/routes/liaoshen");

        var stops = route["stops"]!.AsArray();
        Assert.Equal([1, 2, 3, 4, 5], stops.Select(s => s.Int("order")));
        Assert.Equal("liaoshen-memorial", stops[3].Str("venueId"));
        Assert.All(stops, s => Assert.False(string.IsNullOrEmpty(s!["text"].Str("zh"))));
        Assert.True((double)route["totalDistanceMeters"]! > 50_000);
        Assert.True(route["geometry"]!["coordinates"]!.AsArray().Count > 5);
    }

    [Fact]
    public async Task SavedRoutes_PlannerSavesUnitsSeeOnlySharedOnes()
    {
        var planner = await server.ClientForAsync("planner");
        var unit = await server.ClientForAsync("unit2");

        var shared = await planner.PostAsJsonAsync("/api/routes", new { name = "沈阳抗美援朝一日", venueIds = new[] { "shenyang-cpv-cemetery", "leifeng-memorial" }, sharedWithUnits = true }, Ct).OkAsync(HttpStatusCode.Created);
        var draft = await planner.PostAsJsonAsync("/api/routes", new { name = "草稿 draft", venueIds = new[] { "leifeng-memorial" } }, Ct).OkAsync(HttpStatusCode.Created);
        var seen = (await unit.GetArrayAsync("/api/routes")).Select(r => r.Str("id")).ToList();

        Assert.Contains(shared.Str("id"), seen);
        Assert.Contains("liaoshen", seen);
        Assert.DoesNotContain(draft.Str("id"), seen);
        await unit.GetAsync($"/api/routes/{draft.Str("id")}", Ct).ProblemAsync(HttpStatusCode.NotFound, "not-found");
        using var forbidden = await unit.PostAsJsonAsync("/api/routes", new { name = "x", venueIds = new[] { "leifeng-memorial" } }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task RouteBooking_EveryStopHasRoom_BooksAllWithTickets()
    {
        var unit = await server.ClientForAsync("unit1");
        var date = OpenForAll(8, JinzhouDay);
        var body = new
        {
            plan = new { date = Day(date), stops = new[] { new { venueId = "tashan-memorial", slot = "09:00" }, new { venueId = "peishuichi-battle-site", slot = "11:00" }, new { venueId = "heishan-memorial", slot = "14:00" } } },
            headcount = 35, contactName = "周老师", contactPhone = "13500000000",
        };

        var booked = await SendRouteBookingAsync(unit, body, "route-all").OkAsync(HttpStatusCode.Created);
        var again = await SendRouteBookingAsync(unit, body, "route-all").OkAsync();

        var bookings = booked["bookings"]!.AsArray();
        Assert.Equal(3, bookings.Count);
        Assert.All(bookings, b => Assert.Equal("confirmed", b.Str("status")));
        Assert.All(bookings, b => Assert.False(string.IsNullOrEmpty(b!["ticket"].Str("code"))));
        Assert.Equal(bookings.Select(b => b.Str("id")), again["bookings"]!.AsArray().Select(b => b.Str("id")));
        Assert.Equal(35, (await unit.GetObjectAsync($"/api/venues/heishan-memorial/availability?date={Day(date)}"))["slots"]!.AsArray().Single(s => s.Str("start") == "14:00").Int("booked"));
    }

    [Fact]
    public async Task RouteBooking_LastStopFull_NothingBookedAnd409NamesTheStop()
    {
        var admin = await server.ClientForAsync("admin");
        var unit = await server.ClientForAsync("unit3");
        var date = OpenForAll(9, "tashan-memorial", "mangniutun-command-post");
        var fill = BookingBodyAt("mangniutun-command-post", date, "13:00", TestVenues.Seed("mangniutun-command-post").Limits.GroupMax);
        fill["unitId"] = "unit2";
        while ((await admin.PostBookingAsync(fill)).StatusCode == HttpStatusCode.Created)
        {
        }
        var body = new
        {
            plan = new { date = Day(date), stops = new[] { new { venueId = "tashan-memorial", slot = "09:00" }, new { venueId = "mangniutun-command-post", slot = "13:00" } } },
            headcount = TestVenues.Seed("mangniutun-command-post").Limits.GroupMax, contactName = "吴", contactPhone = "13500000001",
        };

        var problem = await SendRouteBookingAsync(unit, body, "route-full").ProblemAsync(HttpStatusCode.Conflict, "route-not-booked");

        Assert.Equal(1, problem.Int("failedStop"));
        Assert.Equal("mangniutun-command-post", problem.Str("venueId"));
        Assert.Equal(0, (await unit.GetObjectAsync($"/api/venues/tashan-memorial/availability?date={Day(date)}"))["slots"]!.AsArray().Single(s => s.Str("start") == "09:00").Int("booked"));
        Assert.All(await unit.GetArrayAsync("/api/bookings"), b => Assert.Equal("cancelled", b.Str("status")));
    }

    [Fact]
    public async Task RouteBooking_PlannerMayNotBook()
    {
        var planner = await server.ClientForAsync("planner");

        using var response = await SendRouteBookingAsync(planner, new { plan = new { date = "2030-01-01", stops = new[] { new { venueId = "tashan-memorial", slot = "09:00" } } }, headcount = 5 }, "p");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static JsonObject BookingBodyAt(string venueId, DateOnly date, string slot, int headcount) => new()
    {
        ["venueId"] = venueId, ["date"] = Day(date), ["slot"] = slot, ["headcount"] = headcount, ["contactName"] = "钱", ["contactPhone"] = "13600000000",
    };

    private static Task<HttpResponseMessage> SendRouteBookingAsync(HttpClient client, object body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/routes/bookings") { Content = JsonContent.Create(body) };
        request.Headers.Add("Idempotency-Key", key);
        return client.SendAsync(request, Ct);
    }
}

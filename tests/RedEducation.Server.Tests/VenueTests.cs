using System.Net;
using System.Text.Json.Nodes;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Domain.Geography;
using RedEducation.Testing;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

public sealed class VenueTests(SharedServer server)
{
    [Fact]
    public async Task GetVenues_Anonymous_ListsTheTenSeededVenuesWithNamesAndLocation()
    {
        using var client = server.Anonymous();

        using var response = await client.GetAsync("/api/venues", Ct);
        var venues = await response.ArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(10, venues.Count);
        Assert.Equal(TestVenues.Seeded.Select(v => v.Id).Order(), venues.Select(v => v.Str("id")).Order());
        foreach (var venue in venues)
        {
            Assert.False(string.IsNullOrWhiteSpace(venue!["name"].Str("zh")));
            Assert.False(string.IsNullOrWhiteSpace(venue["name"].Str("en")));
            Assert.False(string.IsNullOrWhiteSpace(venue.Str("city")));
            Assert.Equal("Asia/Shanghai", venue.Str("timeZone"));
            // Liaoning lies within about 38.7-43.5 N and 118.8-125.8 E.
            var lat = (double)venue["location"]!["lat"]!;
            var lon = (double)venue["location"]!["lon"]!;
            Assert.InRange(lat, 38.5, 43.6);
            Assert.InRange(lon, 118.5, 126);
        }
    }

    [Fact]
    public async Task GetVenue_Seeded_ReturnsOpeningRulesCapacitiesAndLimits()
    {
        using var client = server.Anonymous();
        var seed = TestVenues.Seed("liaoshen-memorial");

        var venue = await client.GetObjectAsync("/api/venues/liaoshen-memorial");

        Assert.Equal("liaoshen-memorial", venue.Str("id"));
        Assert.Equal(seed.Name.Zh, venue["name"].Str("zh"));
        Assert.Equal(seed.Name.En, venue["name"].Str("en"));
        Assert.Equal("09:00", venue["hours"].Str("open"));
        Assert.Equal("16:00", venue["hours"].Str("lastEntry"));
        Assert.Equal("16:30", venue["hours"].Str("close"));
        Assert.Equal(["monday"], venue["closedWeekdays"]!.AsArray().Select(d => (string?)d));
        Assert.Equal(seed.Limits.SlotCapacity, venue.Int("slotCapacity"));
        Assert.Equal(seed.Limits.DailyCap, venue.Int("dailyCap"));
        Assert.Equal(seed.Limits.GroupMin, venue.Int("groupMin"));
        Assert.Equal(seed.Limits.GroupMax, venue.Int("groupMax"));
        Assert.Equal(seed.Limits.LeadMinDays, venue.Int("leadMinDays"));
        Assert.Equal(seed.Limits.LeadMaxDays, venue.Int("leadMaxDays"));
        Assert.Equal(seed.Limits.UnitCapPerDay, venue.Int("unitCapPerDay"));
        var slots = venue["slots"]!.AsArray();
        Assert.Equal(seed.DailySlots().Count, slots.Count);
        Assert.Equal("09:00", slots[0].Str("start"));
        Assert.Equal("10:00", slots[0].Str("end"));
    }

    [Fact]
    public async Task GetVenue_WithHolidayExceptions_ListsThemWithDates()
    {
        using var client = server.Anonymous();

        var venue = await client.GetObjectAsync("/api/venues/dandong-kmyc-memorial");

        var exceptions = venue["exceptions"]!.AsArray();
        Assert.Contains(exceptions, e => e.Str("date") == "2027-02-06" && (bool?)e!["open"] == false);
        Assert.Contains(exceptions, e => e.Str("date") == "2027-04-05" && (bool?)e!["open"] == true);
    }

    [Theory]
    [InlineData("no-such-venue")]
    [InlineData("LIAOSHEN-MEMORIAL")]
    [InlineData("liaoshen-memorial%20")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%2e%2e%2f%2e%2e%2fetc")]
    [InlineData("..%5C..%5Cwindows")]
    [InlineData("%E8%BE%BD%E6%B2%88%E6%88%98%E5%BD%B9%E7%BA%AA%E5%BF%B5%E9%A6%86")]
    [InlineData("venue'%20OR%20'1'='1")]
    public async Task GetVenue_UnknownOrTrickId_Returns404(string rawId)
    {
        using var client = server.Anonymous();

        using var response = await client.GetAsync($"/api/venues/{rawId}", Ct);

        await AssertVenueOrRouteNotFoundAsync(response);
    }

    [Fact]
    public async Task GetVenue_VeryLongId_Returns404()
    {
        using var client = server.Anonymous();

        using var response = await client.GetAsync($"/api/venues/{new string('a', 4000)}", Ct);

        await AssertVenueOrRouteNotFoundAsync(response);
    }

    [Fact]
    public async Task GetVenue_LongestValidIdShape_Returns404VenueNotFound()
    {
        using var client = server.Anonymous();

        await client.GetAsync($"/api/venues/{new string('x', 64)}", Ct).ProblemAsync(HttpStatusCode.NotFound, "venue-not-found");
    }

    [Theory]
    [InlineData("/api/venues/..%2F..%2Fetc/availability?date=2030-01-01")]
    [InlineData("/api/venues/no-such-venue/availability?date=2030-01-01")]
    [InlineData("/api/venues/%E8%BE%BD%E6%B2%88/availability?date=2030-01-01")]
    public async Task GetAvailability_UnknownOrTrickVenue_Returns404(string path)
    {
        using var client = server.Anonymous();

        using var response = await client.GetAsync(path, Ct);

        await AssertVenueOrRouteNotFoundAsync(response);
    }

    [Fact]
    public async Task PatchVenue_AsUnitOrPlannerOrStaff_Returns403AndChangesNothing()
    {
        var patch = new JsonObject { ["slotCapacity"] = 1 };
        foreach (var user in new[] { "unit1", "planner", "staff-liaoshen-memorial" })
        {
            using var client = await server.ClientForAsync(user);
            await client.SendJsonAsync(HttpMethod.Patch, "/api/venues/liaoshen-memorial", patch).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        }

        using var anonymous = server.Anonymous();
        var venue = await anonymous.GetObjectAsync("/api/venues/liaoshen-memorial");
        Assert.Equal(TestVenues.Seed("liaoshen-memorial").Limits.SlotCapacity, venue.Int("slotCapacity"));
    }

    [Fact]
    public async Task PatchVenue_Anonymous_Returns401AndChangesNothing()
    {
        using var client = server.Anonymous();

        await client.SendJsonAsync(HttpMethod.Patch, "/api/venues/leifeng-memorial", new JsonObject { ["dailyCap"] = 1 })
            .ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        var venue = await client.GetObjectAsync("/api/venues/leifeng-memorial");
        Assert.Equal(TestVenues.Seed("leifeng-memorial").Limits.DailyCap, venue.Int("dailyCap"));
    }

    [Fact]
    public async Task PatchVenue_LocationInGcj02_StoresTheWgs84PointWithItsAccuracy()
    {
        // The seeded point as a Chinese web map shows it (about 500 m off); sent back, it must be stored where it was.
        var seeded = TestVenues.Seed(SharedServer.SmallVenue).Coordinate.Point;
        var gcj = ChinaCoordinates.Wgs84ToGcj02(new LatLon(seeded.Lat, seeded.Lon));
        using var admin = await server.ClientForAsync("admin");

        var venue = await admin.SendJsonAsync(HttpMethod.Patch, $"/api/venues/{SharedServer.SmallVenue}", new JsonObject
        {
            ["location"] = new JsonObject { ["lat"] = gcj.Lat, ["lon"] = gcj.Lon, ["datum"] = "gcj02", ["accuracyMeters"] = 2500 },
        }).OkAsync();

        Assert.Equal(seeded.Lat, (double)venue["location"]!["lat"]!, 5);
        Assert.Equal(seeded.Lon, (double)venue["location"]!["lon"]!, 5);
        Assert.NotEqual(gcj.Lat, (double)venue["location"]!["lat"]!, 4);
        Assert.Equal(2500, venue["coordinate"].Int("accuracyMeters"));
        Assert.Equal("WGS84", venue["coordinate"].Str("datum"));
        using var anonymous = server.Anonymous();
        var stored = await anonymous.GetObjectAsync($"/api/venues/{SharedServer.SmallVenue}");
        Assert.Equal(seeded.Lat, (double)stored["location"]!["lat"]!, 5);
        Assert.Contains("gcj02", stored["coordinate"].Str("source"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"location\":{\"lat\":41.1,\"lon\":121.1,\"datum\":\"utm\"}}", "location.datum")]
    [InlineData("{\"location\":{\"lat\":141.1,\"lon\":121.1}}", "location")]
    [InlineData("{\"location\":{\"lon\":121.1}}", "location")]
    public async Task PatchVenue_BadLocation_Returns400AndKeepsThePoint(string body, string field)
    {
        using var admin = await server.ClientForAsync("admin");

        await admin.SendRawAsync(HttpMethod.Patch, "/api/venues/heishan-memorial", body).ValidationProblemAsync(field);

        var venue = await admin.GetObjectAsync("/api/venues/heishan-memorial");
        Assert.Equal(TestVenues.Seed("heishan-memorial").Coordinate.Point.Lat, (double)venue["location"]!["lat"]!, 6);
    }

    private static async Task AssertVenueOrRouteNotFoundAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var problem = await response.ObjectAsync();
        Assert.Contains(problem.Str("type"), new[] { "/problems/venue-not-found", "/problems/not-found" });
    }
}

using System.Globalization;
using System.Text.Json.Nodes;
using RedEducation.Domain.Geography;

namespace RedEducation.Cli.Tests;

public sealed class AdminCommandTests(CliServer server)
{
    // No other test of this assembly books, plans or checks in here, so its rules may change.
    private const string Venue = "dalian-industrial-society";

    [Fact]
    public async Task Venue_Anonymous_ShowsHoursLimitsAndTheLocationInBothDatums()
    {
        var run = await server.RunAnonymousAsync("venue", CliServer.Venue);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("辽沈战役纪念馆", run.Out, StringComparison.Ordinal);
        Assert.Contains("(WGS84)", run.Out, StringComparison.Ordinal);
        Assert.Contains("(GCJ-02)", run.Out, StringComparison.Ordinal);
        Assert.Contains("开放 hours: 09:00-16:30", run.Out, StringComparison.Ordinal);
        Assert.Contains("闭馆 closed: 周一 Mon", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminVenue_CapacityHoursClosedDays_ChangesTheVenueAndItsAvailability()
    {
        var closedDay = server.OtherDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var run = await server.RunAsAsync("admin", "admin", "venue", Venue,
            "--slot-capacity", "77", "--group-max", "35", "--open", "08:30", "--closed", "mon,周二", "--closed-on", closedDay);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("每时段 per slot 77", run.Out, StringComparison.Ordinal);
        Assert.Contains("闭馆 closed: 周一 Mon,周二 Tue", run.Out, StringComparison.Ordinal);
        var venue = await VenueAsync();
        Assert.Equal(77, (int)venue["slotCapacity"]!);
        Assert.Equal(35, (int)venue["groupMax"]!);
        Assert.Equal("08:30", (string?)venue["hours"]!["open"]);
        Assert.Equal("16:00", (string?)venue["hours"]!["lastEntry"]);
        Assert.Equal(["monday", "tuesday"], venue["closedWeekdays"]!.AsArray().Select(d => (string)d!));
        var availability = await server.RunAnonymousAsync("availability", Venue, closedDay);
        Assert.Contains("闭馆 closed", availability.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminVenue_Gcj02Location_StoresTheWgs84PointAndSaysWhereItCameFrom()
    {
        var gcj = new LatLon(38.917120, 121.630480);
        var expected = ChinaCoordinates.Gcj02ToWgs84(gcj);

        var run = await server.RunAsAsync("admin", "admin", "venue", Venue, "--location", "38.917120,121.630480", "--gcj02", "--accuracy", "30");

        Assert.True(run.Exit == 0, run.ToString());
        var venue = await VenueAsync();
        Assert.Equal(expected.Lat, (double)venue["location"]!["lat"]!, tolerance: 1e-6); // stored to 7 decimals, about 1 cm
        Assert.Equal(expected.Lon, (double)venue["location"]!["lon"]!, tolerance: 1e-6);
        // The offset in Dalian is several hundred metres: the point was converted, not stored as given.
        Assert.True(Math.Abs(expected.Lon - gcj.Lon) > 0.003);
        Assert.Contains("GCJ-02", (string?)venue["coordinate"]!["source"], StringComparison.Ordinal);
        Assert.Equal(30, (int)venue["coordinate"]!["accuracyMeters"]!);
    }

    [Fact]
    public async Task AdminVenue_UnitAccount_ExitsOneForbiddenAndChangesNothing()
    {
        var before = (await VenueAsync()).ToJsonString();

        var run = await server.RunAsAsync("unit1", "admin", "venue", Venue, "--slot-capacity", "5");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("403", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, (await VenueAsync()).ToJsonString());
    }

    [Fact]
    public async Task AdminVenue_InconsistentRules_ExitsOneWithTheFieldAndChangesNothing()
    {
        var before = (await VenueAsync()).ToJsonString();

        var run = await server.RunAsAsync("admin", "admin", "venue", Venue, "--group-min", "50", "--group-max", "10");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("groupMin:", run.Err, StringComparison.Ordinal);
        Assert.Equal(before, (await VenueAsync()).ToJsonString());
    }

    [Theory]
    [InlineData("--closed", "someday", "not a weekday: 'someday'")]
    [InlineData("--location", "91,121", "--location must be lat,lon")]
    [InlineData("--open", "8am", "--open must be HH:mm")]
    public async Task AdminVenue_BadValue_ExitsTwoSayingWhatIsWrong(string option, string value, string message)
    {
        var before = (await VenueAsync()).ToJsonString();

        var run = await server.RunAsAsync("admin", "admin", "venue", Venue, option, value);

        Assert.Equal(2, run.Exit);
        Assert.Contains(message, run.Err, StringComparison.Ordinal);
        Assert.Equal(before, (await VenueAsync()).ToJsonString());
    }

    [Fact]
    public async Task AdminVenue_NothingToChange_ExitsTwo()
    {
        var run = await server.RunAsAsync("admin", "admin", "venue", Venue);

        Assert.Equal(2, run.Exit);
        Assert.Contains("nothing to change", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminKeys_RotateThenRetireTheOldKey_LeavesOnlyTheNewSigningKey()
    {
        var before = await KeysAsync("list");
        var old = (int)before.Single(k => (bool)k!["signing"]!)!["keyId"]!;

        var rotated = await KeysAsync("rotate");
        var fresh = (int)rotated.Single(k => (bool)k!["signing"]!)!["keyId"]!;
        var inUse = await server.RunAsAsync("admin", "admin", "keys", "retire", fresh.ToString(CultureInfo.InvariantCulture));
        var retired = await server.RunAsAsync("admin", "admin", "keys", "retire", old.ToString(CultureInfo.InvariantCulture));
        var list = await server.RunAsAsync("admin", "admin", "keys", "list");

        Assert.NotEqual(old, fresh);
        Assert.Equal(before.Count + 1, rotated.Count);
        Assert.True(inUse.Exit == 1, inUse.ToString());
        Assert.Contains("/problems/key-in-use", inUse.Err, StringComparison.Ordinal);
        Assert.True(retired.Exit == 0, retired.ToString());
        Assert.Contains($"{fresh}", list.Out, StringComparison.Ordinal);
        Assert.Contains("签发 signing", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("仅验证 verify only", list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AdminKeys_Planner_ExitsOneForbidden()
    {
        var run = await server.RunAsAsync("planner", "admin", "keys", "rotate");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("403", run.Err, StringComparison.Ordinal);
    }

    private async Task<JsonObject> VenueAsync()
    {
        var run = await server.RunAnonymousAsync("venue", Venue, "--json");
        Assert.True(run.Exit == 0, run.ToString());
        return JsonNode.Parse(run.Out)!.AsObject();
    }

    private async Task<JsonArray> KeysAsync(string verb)
    {
        var run = await server.RunAsAsync("admin", "admin", "keys", verb, "--json");
        Assert.True(run.Exit == 0, run.ToString());
        return JsonNode.Parse(run.Out)!.AsArray();
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Cli.Tests;

public sealed class StudyRouteCommandTests(CliServer server)
{
    private const string Shenyang = "41.80,123.43";

    private string Day => server.OtherDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task RoutesSave_SharedAndPrivate_UnitsListOnlyTheSharedOneAndShowGivesItsVenues()
    {
        var name = "沈阳一日 " + Guid.NewGuid().ToString("N")[..6];
        var shared = await server.RunAsAsync("planner", "routes", "save", name, "--venues", $"{CliServer.OtherVenue},shenyang-cpv-cemetery", "--shared", "--notes", "带好证件");
        var hidden = await server.RunAsAsync("planner", "routes", "save", name + " draft", "--venues", CliServer.OtherVenue);

        Assert.True(shared.Exit == 0, shared.ToString());
        Assert.True(hidden.Exit == 0, hidden.ToString());
        var sharedId = RouteIdOf(shared);
        var hiddenId = RouteIdOf(hidden);
        var unitList = await server.RunAsAsync("unit1", "routes", "list");
        var plannerList = await server.RunAsAsync("planner", "routes", "list", "--json");
        var show = await server.RunAsAsync("unit1", "routes", "show", sharedId);
        var hiddenShow = await server.RunAsAsync("unit1", "routes", "show", hiddenId);

        Assert.Contains(sharedId, unitList.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(hiddenId, unitList.Out, StringComparison.Ordinal);
        using var all = JsonDocument.Parse(plannerList.Out);
        Assert.Contains(hiddenId, all.RootElement.EnumerateArray().Select(r => r.GetProperty("id").GetString()));
        Assert.True(show.Exit == 0, show.ToString());
        Assert.Contains(name, show.Out, StringComparison.Ordinal);
        Assert.Contains("雷锋纪念馆", show.Out, StringComparison.Ordinal);
        Assert.Contains("说明 notes: 带好证件", show.Out, StringComparison.Ordinal);
        Assert.Equal(1, hiddenShow.Exit);
    }

    [Fact]
    public async Task RoutesSave_Unit_ExitsOneForbidden()
    {
        var run = await server.RunAsAsync("unit1", "routes", "save", "mine", "--venues", CliServer.OtherVenue);

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("403", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RoutesBook_Venues_PlansThenBooksEveryStopAndTheBookingsAreConfirmed()
    {
        var run = await server.RunAsAsync("unit2", "routes", "book", "--start", Shenyang, "--venues", $"{CliServer.OtherVenue},shenyang-cpv-cemetery",
            "--date", Day, "--headcount", "21", "--contact-name", "王五", "--contact-phone", "13700000000");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("路线预约 route booking:", run.Out, StringComparison.Ordinal);
        Assert.Contains("状态 status: 已确认 confirmed", run.Out, StringComparison.Ordinal);
        Assert.Contains("retry with --key", run.Err, StringComparison.Ordinal);
        var booked = await ConfirmedAsync("unit2", 21);
        Assert.Equal(new[] { CliServer.OtherVenue, "shenyang-cpv-cemetery" }.Order(), booked.Select(b => (string)b["venueId"]!).Order());
        Assert.All(booked, b => Assert.Contains((string)b["id"]!, run.Out, StringComparison.Ordinal));
    }

    [Fact]
    public async Task RoutesBook_SavedRouteWithTheSameKeyTwice_BooksOnce()
    {
        var saved = await server.RunAsAsync("planner", "routes", "save", "雷锋 " + Guid.NewGuid().ToString("N")[..6], "--venues", CliServer.OtherVenue, "--shared");
        var key = "route-" + Guid.NewGuid();
        string[] args = ["routes", "book", "--route", RouteIdOf(saved), "--start", Shenyang, "--date", Day, "--headcount", "22",
            "--contact-name", "王五", "--contact-phone", "13700000000", "--key", key, "--json"];

        var first = await server.RunAsAsync("unit3", args);
        var second = await server.RunAsAsync("unit3", args);

        Assert.True(first.Exit == 0, first.ToString());
        Assert.True(second.Exit == 0, second.ToString());
        using var a = JsonDocument.Parse(first.Out);
        using var b = JsonDocument.Parse(second.Out);
        Assert.Equal(a.RootElement.GetProperty("id").GetString(), b.RootElement.GetProperty("id").GetString());
        Assert.Single(await ConfirmedAsync("unit3", 22));
    }

    [Fact]
    public async Task RoutesBook_PlanFileFromPlanJson_BooksThePlannedSlots()
    {
        var planFile = Path.Combine(server.Root, $"plan-{Guid.NewGuid():N}.json");
        var plan = await server.RunAsAsync("unit1", "plan", "--start", Shenyang, "--venues", CliServer.OtherVenue, "--date", Day, "--headcount", "23", "--json");
        Assert.True(plan.Exit == 0, plan.ToString());
        await File.WriteAllTextAsync(planFile, plan.Out, TestContext.Current.CancellationToken);
        var slot = (string)JsonNode.Parse(plan.Out)!["stops"]![0]!["slot"]!;

        var run = await server.RunAsAsync("unit1", "routes", "book", "--plan", planFile, "--headcount", "23", "--contact-name", "王五", "--contact-phone", "13700000000");

        Assert.True(run.Exit == 0, run.ToString());
        var booking = Assert.Single(await ConfirmedAsync("unit1", 23));
        Assert.Equal(slot, (string)booking["slot"]!);
    }

    [Fact]
    public async Task RoutesBook_SecondStopRefused_ExitsOneNamingTheStopAndLeavesNothingBooked()
    {
        var planFile = Path.Combine(server.Root, $"bad-plan-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(planFile, new JsonObject
        {
            ["date"] = Day,
            ["stops"] = new JsonArray(
                new JsonObject { ["venueId"] = CliServer.Venue, ["slot"] = "10:00" },
                new JsonObject { ["venueId"] = CliServer.OtherVenue, ["slot"] = "03:00" }),
        }.ToJsonString(), TestContext.Current.CancellationToken);

        var run = await server.RunAsAsync("unit3", "routes", "book", "--plan", planFile, "--headcount", "24", "--contact-name", "王五", "--contact-phone", "13700000000");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("/problems/route-not-booked", run.Err, StringComparison.Ordinal);
        Assert.Contains("stop 2 (leifeng-memorial)", run.Err, StringComparison.Ordinal);
        Assert.Contains("unknown-slot", run.Err, StringComparison.Ordinal);
        Assert.Empty(await ConfirmedAsync("unit3", 24));
    }

    [Fact]
    public async Task RoutesBook_NoVenuesRouteOrPlan_ExitsTwo()
    {
        var run = await server.RunAsAsync("unit1", "routes", "book", "--headcount", "10", "--contact-name", "王五", "--contact-phone", "13700000000");

        Assert.Equal(2, run.Exit);
        Assert.Contains("--plan", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_GeoJson_SavesTheLineAndOnePointPerStopInOrder()
    {
        var file = Path.Combine(server.Root, $"plan-{Guid.NewGuid():N}.geojson");

        var run = await server.RunAsAsync("planner", "plan", "--start", Shenyang, "--venues", $"shenyang-cpv-cemetery,{CliServer.OtherVenue}",
            "--date", Day, "--geojson", file);

        Assert.True(run.Exit == 0, run.ToString());
        var features = JsonNode.Parse(await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken))!;
        Assert.Equal("FeatureCollection", (string?)features["type"]);
        var list = features["features"]!.AsArray();
        Assert.Equal("LineString", (string?)list[0]!["geometry"]!["type"]);
        Assert.True(list[0]!["geometry"]!["coordinates"]!.AsArray().Count >= 2);
        Assert.Equal(3, list.Count);
        Assert.All(list.Skip(1), f => Assert.Equal("Point", (string?)f!["geometry"]!["type"]));
        var lon = (double)list[1]!["geometry"]!["coordinates"]![0]!;
        Assert.InRange(lon, 123.0, 124.5); // both stops lie around Shenyang, in [lon, lat] order
        Assert.Equal([1, 2], list.Skip(1).Select(f => (int)f!["properties"]!["order"]!));
    }

    /// <summary>The unit's confirmed bookings on the route day with this headcount (each test uses its own), read back through <c>redu bookings --json</c>.</summary>
    private async Task<List<JsonNode>> ConfirmedAsync(string unit, int headcount)
    {
        var list = await server.RunAsAsync(unit, "bookings", "--json");
        Assert.True(list.Exit == 0, list.ToString());
        return [.. JsonNode.Parse(list.Out)!.AsArray().OfType<JsonNode>()
            .Where(b => (string?)b["status"] == "confirmed" && (int?)b["headcount"] == headcount && (string?)b["date"] == Day)];
    }

    private static string RouteIdOf(CliRun run)
    {
        var match = System.Text.RegularExpressions.Regex.Match(run.Out, @"saved route: (?<id>\S+)");
        Assert.True(match.Success, run.ToString());
        return match.Groups["id"].Value;
    }
}

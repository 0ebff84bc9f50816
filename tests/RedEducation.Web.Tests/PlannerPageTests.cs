using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

using RedEducation.Testing;

namespace RedEducation.Web.Tests;

public sealed partial class PlannerPageTests(WebServer web)
{
    private static readonly string[] FourSites = ["mangniutun-command-post", "tashan-memorial", "peishuichi-battle-site", "liaoshen-memorial"];

    [Theory]
    [InlineData("zh-CN", "周一闭馆")]
    [InlineData("en", "closed every Monday")]
    public async Task PlanFourSites_OnAnOpenDay_DrawsTheRouteListsStopsInTimeOrderAndExportsGpx(string language, string mondayWarning)
    {
        await using var browser = await web.LaunchAsync($"--lang={language}");
        var page = await web.NewPageAsync(browser, language, new() { AcceptDownloads = true });
        await WebServer.SignInAsync(page, "planner", "/planner/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        await Assertions.Expect(page.Locator("path.province-outline")).ToHaveCountAsync(1);
        Assert.True(await page.Locator("path.road").CountAsync() >= 20, "the road skeleton's lines are drawn");

        foreach (var id in FourSites)
        {
            await page.Locator($"#venue-list input[data-venue='{id}']").CheckAsync();
        }
        // From Shenyang's centre (GeoNames), typed as a point of one's own, early enough to reach Jinzhou for the day.
        await page.Locator("#plan-start").SelectOptionAsync("point");
        await page.Locator("#start-lat").FillAsync("41.79222");
        await page.Locator("#start-lon").FillAsync("123.43278");
        await page.Locator("#plan-depart").SelectOptionAsync("06:00");
        await page.Locator("#plan-date").FillAsync(TestDates.Iso(TestDates.Next(DayOfWeek.Monday)));
        await page.Locator("#plan-date").DispatchEventAsync("change");
        await Assertions.Expect(page.Locator("#warnings li.error").First).ToContainTextAsync(mondayWarning);
        await page.Locator("#plan-button").ClickAsync();
        await Assertions.Expect(page.Locator("#warnings #infeasible")).ToContainTextAsync(language == "en" ? "Cannot plan" : "无法规划");
        await Assertions.Expect(page.Locator("#plan-result")).ToBeHiddenAsync();

        var date = TestDates.Next(DayOfWeek.Wednesday);
        await page.Locator("#plan-date").FillAsync(TestDates.Iso(date));
        await page.Locator("#plan-date").DispatchEventAsync("change");
        await Assertions.Expect(page.Locator("#warnings li.error")).ToHaveCountAsync(0);
        await page.Locator("#plan-button").ClickAsync();

        await Assertions.Expect(page.Locator("#stop-list li.stop")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator(".leaflet-marker-icon.stop-icon")).ToHaveCountAsync(4);
        var path = await page.Locator("path.route-line").GetAttributeAsync("d") ?? "";
        var drawnPoints = PathPoint().Count(path);
        Assert.True(drawnPoints >= 10, $"the route is drawn along the roads with many points, not {drawnPoints}: {path}");

        // The stops are listed in the order the server planned them, each entered in time order.
        using var planner = await web.Server.ClientForAsync("planner");
        using var response = await planner.PostAsJsonAsync("/api/routes/plan",
            new { start = new { lat = 41.79222, lon = 123.43278, datum = "wgs84" }, venues = FourSites, date = TestDates.Iso(date), departAt = "06:00", headcount = 30 }, TestContext.Current.CancellationToken);
        var plan = (await response.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        var planned = plan["stops"]!.AsArray().Select(s => (string)s!["venueId"]!).ToList();
        Assert.Equal(planned, await page.Locator("#stop-list li.stop").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.venue)"));
        Assert.True(drawnPoints <= plan["geometry"]!["coordinates"]!.AsArray().Count);
        var visits = (await page.Locator("#stop-list .visit").AllInnerTextsAsync()).Select(Clock).ToList();
        var arrivals = (await page.Locator("#stop-list .arrive").AllInnerTextsAsync()).Select(Clock).ToList();
        var departures = (await page.Locator("#stop-list .depart").AllInnerTextsAsync()).Select(Clock).ToList();
        Assert.Equal(visits.Order(), visits);
        for (var i = 0; i < 4; i++)
        {
            Assert.True(arrivals[i] <= visits[i] && visits[i] < departures[i], $"stop {i + 1}: arrive {arrivals[i]}, enter {visits[i]}, leave {departures[i]}");
            Assert.True(i == 0 || departures[i - 1] <= arrivals[i]);
        }
        await Assertions.Expect(page.Locator("#leg-table tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator(".leaflet-marker-icon.start-icon")).ToHaveCountAsync(1);
        await page.EvaluateAsync("window.scrollTo(0, 0)");
        await WebServer.ScreenshotAsync(page, $"planner-plan-{language}");

        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-gpx").ClickAsync());
        Assert.EndsWith(".gpx", download.SuggestedFilename, StringComparison.Ordinal);
        var gpx = XDocument.Load(await download.PathAsync());
        XNamespace ns = "http://www.topografix.com/GPX/1/1";
        Assert.Equal(ns + "gpx", gpx.Root!.Name);
        var waypoints = gpx.Root.Elements(ns + "wpt").Select(w => (string)w.Element(ns + "name")!).ToList();
        Assert.Equal(4, waypoints.Count);
        Assert.Contains("塔山", waypoints[planned.IndexOf("tashan-memorial")], StringComparison.Ordinal);
        Assert.True(gpx.Descendants(ns + "trkpt").Count() >= 10);

        download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-geojson").ClickAsync());
        Assert.EndsWith(".geojson", download.SuggestedFilename, StringComparison.Ordinal);
        var geoJson = JsonNode.Parse(await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken))!;
        var features = geoJson["features"]!.AsArray();
        Assert.Equal("LineString", (string?)features[0]!["geometry"]!["type"]);
        Assert.Equal(planned, features.Skip(1).Select(f => (string)f!["properties"]!["venueId"]!));
    }

    [Fact]
    public async Task SaveRoute_SharedWithUnits_IsListedForAUnit()
    {
        await using var browser = await web.LaunchAsync("--lang=zh-CN");
        var page = await web.NewPageAsync(browser, "zh-CN");
        await WebServer.SignInAsync(page, "planner", "/planner/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        foreach (var id in new[] { "peishuichi-battle-site", "liaoshen-memorial" })
        {
            await page.Locator($"#venue-list input[data-venue='{id}']").CheckAsync();
        }
        await page.Locator("#plan-date").FillAsync(TestDates.Iso(TestDates.Next(DayOfWeek.Thursday)));
        await page.Locator("#plan-button").ClickAsync();
        await Assertions.Expect(page.Locator("#stop-list li.stop")).ToHaveCountAsync(2);

        var name = $"锦州半日线 {Guid.NewGuid():N}"[..16];
        await page.Locator("#route-name").FillAsync(name);
        await page.Locator("#route-shared").CheckAsync();
        await page.Locator("#save-button").ClickAsync();
        await Assertions.Expect(page.Locator("#toasts .toast.ok")).ToContainTextAsync(name);

        using var unit = await web.Server.ClientForAsync("unit1");
        var routes = await unit.GetFromJsonAsync<JsonArray>("/api/routes", TestContext.Current.CancellationToken);
        var saved = Assert.Single(routes!, r => (string?)r!["name"] == name)!;
        Assert.True((bool)saved["sharedWithUnits"]!);

        var unitPage = await web.NewPageAsync(browser, "zh-CN");
        await WebServer.SignInAsync(unitPage, "unit1", "/unit/");
        await unitPage.GotoAsync("/planner/");
        await unitPage.Locator("#tab-saved").ClickAsync();
        await Assertions.Expect(unitPage.Locator("#saved-list li.saved", new() { HasText = name })).ToContainTextAsync("已共享");
    }

    [Theory]
    [InlineData("zh-CN", "第 1 站 / 共 5 站", "第 5 站 / 共 5 站")]
    [InlineData("en", "Stop 1 of 5", "Stop 5 of 5")]
    public async Task LiaoshenStory_PlayedToTheEnd_ShowsEachStopsStoryInOrder(string language, string first, string last)
    {
        await using var browser = await web.LaunchAsync($"--lang={language}");
        var page = await web.NewPageAsync(browser, language);
        await WebServer.SignInAsync(page, "planner", "/planner/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        using var planner = await web.Server.ClientForAsync("planner");
        var route = await planner.GetFromJsonAsync<JsonObject>("/api/routes/liaoshen", TestContext.Current.CancellationToken);
        var stops = route!["stops"]!.AsArray().OrderBy(s => (int)s!["order"]!).ToList();
        var key = language == "en" ? "en" : "zh";

        await page.Locator("#tab-story").ClickAsync();
        await Assertions.Expect(page.Locator("#story-step")).ToHaveTextAsync(first);
        await Assertions.Expect(page.Locator(".leaflet-marker-icon.story-icon")).ToHaveCountAsync(stops.Count);
        await Assertions.Expect(page.Locator("#story-prev")).ToBeDisabledAsync();
        await WebServer.ScreenshotAsync(page, $"planner-story-{language}");
        for (var i = 0; i < stops.Count; i++)
        {
            await Assertions.Expect(page.Locator("#story-title")).ToHaveTextAsync((string)stops[i]!["name"]![key]!);
            await Assertions.Expect(page.Locator("#story-text")).ToHaveTextAsync((string)stops[i]!["text"]![key]!);
            if (i < stops.Count - 1)
            {
                await page.Locator("#story-next").ClickAsync();
            }
        }

        await Assertions.Expect(page.Locator("#story-step")).ToHaveTextAsync(last);
        await Assertions.Expect(page.Locator("#story-next")).ToBeDisabledAsync();
        await Assertions.Expect(page.Locator("#story-end")).ToBeVisibleAsync();
        await page.Locator("#story-prev").ClickAsync();
        await Assertions.Expect(page.Locator("#story-title")).ToHaveTextAsync((string)stops[^2]!["name"]![key]!);
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task PlannerPage_InEachLanguage_ShowsNoUntranslatedKey(string language)
    {
        await using var browser = await web.LaunchAsync($"--lang={language}");
        var page = await web.NewPageAsync(browser, language);
        await WebServer.SignInAsync(page, "planner", "/planner/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();

        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(@"\b(planner|story|saved|warn|datum)\.[a-zA-Z]", text);
        Assert.Contains(language == "en" ? "Lei Feng Memorial Hall" : "雷锋纪念馆", await page.Locator(".leaflet-tooltip.venue-label").AllInnerTextsAsync());
        await WebServer.ScreenshotAsync(page, $"planner-map-{language}");
    }


    private static TimeOnly Clock(string text) => TimeOnly.ParseExact(HourMinute().Match(text).Value, "HH:mm", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"\d{2}:\d{2}")]
    private static partial Regex HourMinute();

    [GeneratedRegex(@"[ML]\s*-?\d")]
    private static partial Regex PathPoint();
}

using System.Globalization;
using System.Text.Json;

namespace RedEducation.Cli.Tests;

public sealed class RouteCommandTests(CliServer server)
{
    [Fact]
    public async Task Route_TwoVenues_PrintsDistanceAndDuration()
    {
        var run = await server.RunAsAsync("planner", "route", CliServer.Venue, "shenyang-cpv-cemetery");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Matches(@"距离 distance: \d+\.\d km", run.Out);
        Assert.Matches(@"时间 duration: \d+ h \d\d min", run.Out);
    }

    [Fact]
    public async Task Route_Json_PrintsAGeoJsonFeature()
    {
        var run = await server.RunAsAsync("planner", "route", "41.79222,123.43278", CliServer.OtherVenue, "--json");

        Assert.True(run.Exit == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("Feature", json.RootElement.GetProperty("type").GetString());
        Assert.True(json.RootElement.GetProperty("properties").GetProperty("distanceMeters").GetDouble() > 0);
    }

    [Fact]
    public async Task Liaoshen_Planner_ListsTheCampaignStopsInOrder()
    {
        var run = await server.RunAsAsync("planner", "liaoshen");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("塔山阻击战纪念馆", run.Out, StringComparison.Ordinal);
        Assert.Contains("全程 total:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_TwoShenyangVenues_PrintsStopsAndSavesGpx()
    {
        var gpx = Path.Combine(server.Root, $"plan-{Guid.NewGuid():N}.gpx");

        var run = await server.RunAsAsync("planner", "plan",
            "--start", "41.80,123.43", "--venues", "shenyang-cpv-cemetery," + CliServer.OtherVenue,
            "--date", server.VisitDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--return", "--headcount", "30", "--gpx", gpx);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("shenyang-cpv-cemetery", run.Out, StringComparison.Ordinal);
        Assert.Contains(CliServer.OtherVenue, run.Out, StringComparison.Ordinal);
        Assert.Contains("返回 back at start", run.Out, StringComparison.Ordinal);
        Assert.Contains("<gpx", File.ReadAllText(gpx), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_ClosedDay_ExitsOneInfeasibleWithTheReason()
    {
        var monday = server.VisitDay;
        while (monday.DayOfWeek != DayOfWeek.Monday)
        {
            monday = monday.AddDays(1);
        }

        var run = await server.RunAsAsync("planner", "plan", "--start", CliServer.Venue, "--venues", CliServer.OtherVenue,
            "--date", monday.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("/problems/infeasible", run.Err, StringComparison.Ordinal);
        Assert.Contains("venue-closed", run.Err, StringComparison.Ordinal);
    }
}

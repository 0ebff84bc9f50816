using System.Globalization;
using System.Text.Json;

namespace RedEducation.Cli.Tests;

public sealed class VenueCommandTests(CliServer server)
{
    [Fact]
    public async Task Venues_Anonymous_ListsTheTenVenuesWithChineseAndEnglishNames()
    {
        var run = await server.RunAnonymousAsync("venues");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("共 10 个场馆 venues", run.Out, StringComparison.Ordinal);
        Assert.Contains(CliServer.Venue, run.Out, StringComparison.Ordinal);
        Assert.Contains("辽沈战役纪念馆", run.Out, StringComparison.Ordinal);
        Assert.Contains("Liaoshen", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Venues_Json_PrintsTheServersArray()
    {
        var run = await server.RunAnonymousAsync("venues", "--json");

        Assert.True(run.Exit == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal(10, json.RootElement.GetArrayLength());
        Assert.All(json.RootElement.EnumerateArray(), v => Assert.False(string.IsNullOrEmpty(v.GetProperty("id").GetString())));
    }

    [Fact]
    public async Task Availability_OpenDay_ShowsSlotsWithRemainingPlaces()
    {
        var run = await server.RunAnonymousAsync("availability", CliServer.Venue, server.VisitDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("开放 open", run.Out, StringComparison.Ordinal);
        Assert.Contains("剩余 remaining", run.Out, StringComparison.Ordinal);
        Assert.Contains("09:00-", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Availability_UnknownVenue_ExitsOneWithTheProblemTitle()
    {
        var run = await server.RunAnonymousAsync("availability", "no-such-venue", server.VisitDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("No such venue", run.Err, StringComparison.Ordinal);
        Assert.Contains("/problems/venue-not-found", run.Err, StringComparison.Ordinal);
    }
}

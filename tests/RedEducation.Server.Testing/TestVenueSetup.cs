using System.Net.Http.Json;
using RedEducation.Testing;
using Xunit;

namespace RedEducation.Server.Testing;

/// <summary>
/// Seeded venues made ready for test suites that book freely on one shared server (tickets, the command-line tool):
/// room for every test's groups, and visit days on which all the venues a suite uses are open.
/// </summary>
public static class TestVenueSetup
{
    /// <summary>
    /// Raises the venues' slot capacity, daily cap, group maximum and per-unit cap through the admin API, so that a
    /// suite's tests never meet those limits; the tests of the limits themselves live in Server.Tests.
    /// </summary>
    public static async Task OpenForLargeGroupsAsync(this RedEducationServer server, params string[] venueIds)
    {
        using var admin = await server.ClientForAsync("admin");
        foreach (var id in venueIds)
        {
            using var response = await admin.PatchAsJsonAsync($"/api/venues/{id}",
                new { slotCapacity = 5000, dailyCap = 100_000, groupMax = 500, unitCapPerDay = 100_000 }, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>The first date on or after <paramref name="from"/> on which every one of the seeded venues is open.</summary>
    public static DateOnly FirstDayAllOpen(DateOnly from, params string[] venueIds)
    {
        var venues = venueIds.Select(TestVenues.Seed).ToArray();
        var day = from;
        while (!venues.All(v => v.IsOpenOn(day)))
        {
            day = day.AddDays(1);
        }
        return day;
    }
}

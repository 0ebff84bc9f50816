using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Tickets.Tests;

/// <summary>Admissions, online and synced, appear in the administrators' audit log with the staff member who scanned.</summary>
public sealed class AuditCheckInTests(TicketServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Audit_OnlineAndSyncedAdmissions_AppearWithTheStaffWhoScanned()
    {
        var booking = await server.BookAsync(10);
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial-b");
        var admin = await server.SignInAsync("admin");

        var scanned = await staff.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins", new { code = Desk.Code(booking), admit = 4, desk = "gate-2" }, Ct);
        Assert.Equal(HttpStatusCode.OK, scanned.StatusCode);
        var synced = await staff.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins/sync", new[]
        {
            new { code = Desk.Code(booking), admit = 3, nonce = Guid.NewGuid().ToString("N"), scannedAt = server.Clock.Now.AddMinutes(-2), desk = "tablet-7" },
        }, Ct);
        Assert.Equal(HttpStatusCode.OK, synced.StatusCode);

        var page = await admin.GetFromJsonAsync<JsonObject>("/api/admin/audit?action=checkin&actor=staff-liaoshen-memorial-b", Ct);
        var entries = page!["entries"]!.AsArray().Where(e => (string?)e!["target"] == Desk.Id(booking)).ToList();

        var online = Assert.Single(entries, e => (string?)e!["action"] == "checkin.admit");
        var offline = Assert.Single(entries, e => (string?)e!["action"] == "checkin.sync.admit");
        Assert.All(entries, e => Assert.Equal("staff", (string?)e!["role"]));
        Assert.Contains("desk gate-2: admitted 4 of 4", (string?)online!["summary"], StringComparison.Ordinal);
        Assert.Contains("desk tablet-7: admitted 3 of 3", (string?)offline!["summary"], StringComparison.Ordinal);
        // Newest first: the synced scan arrived after the online one (the test clock stands still; the log order decides).
        Assert.True(entries.IndexOf(offline) < entries.IndexOf(online));
    }
}

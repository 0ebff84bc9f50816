using System.Net;
using System.Text.Json.Nodes;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Testing;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>
/// The audit log: every administrator's change appears with who made it; a refused change records nothing; check-in
/// scans appear from the check-in log with the staff member who scanned.
/// </summary>
[Collection(SecuritySuite.Name)]
public sealed class AuditTests(SecurityServer server)
{
    private const string Venue = "dandong-kmyc-memorial";

    [Fact]
    public async Task VenuePatch_ByAdmin_IsRecordedWithActorAndFields()
    {
        using var admin = await server.ClientForAsync("admin");
        var visit = (await admin.GetObjectAsync($"/api/venues/{Venue}")).Int("visitMinutes");

        await admin.SendJsonAsync(HttpMethod.Patch, $"/api/venues/{Venue}", new JsonObject { ["visitMinutes"] = visit }).OkAsync();

        var entry = Assert.Single(await EntriesAsync(admin, "action=venue.update"), e => e.Str("target") == Venue);
        Assert.Equal("admin", entry.Str("actor"));
        Assert.Equal("admin", entry.Str("role"));
        Assert.Contains($"\"visitMinutes\":{visit}", entry.Str("summary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountPatch_ChineseName_SummaryShowsTheNameAsWritten()
    {
        using var admin = await server.ClientForAsync("admin");
        var username = (await server.CreateAccountAsync("named", "staff", venueIds: [Venue])).Str("username");

        await admin.SendJsonAsync(HttpMethod.Patch, $"/api/admin/accounts/{username}", new JsonObject { ["displayName"] = "丹东馆 A岗 前台" }).OkAsync();

        var entry = (await EntriesAsync(admin, "action=account.update")).First(e => e.Str("target") == username);
        Assert.Contains("丹东馆 A岗 前台", entry.Str("summary"), StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", entry.Str("summary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task VenuePatch_Refused_RecordsNothing()
    {
        using var admin = await server.ClientForAsync("admin");
        using var planner = await server.ClientForAsync("planner");
        var before = await EntriesAsync(admin, "");

        await admin.SendJsonAsync(HttpMethod.Patch, $"/api/venues/{Venue}", new JsonObject { ["groupMin"] = 500, ["groupMax"] = 5 }).ProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        await admin.SendJsonAsync(HttpMethod.Patch, "/api/venues/no-such-venue", new JsonObject { ["visitMinutes"] = 60 }).ProblemAsync(HttpStatusCode.NotFound, "venue-not-found");
        await planner.SendJsonAsync(HttpMethod.Patch, $"/api/venues/{Venue}", new JsonObject { ["visitMinutes"] = 60 }).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/accounts", SecurityServer.AccountBody("unit1", "unit", "unit1")).ProblemAsync(HttpStatusCode.Conflict, "username-taken");
        await admin.SendJsonAsync(HttpMethod.Delete, "/api/admin/ticket-keys/9999", null).ProblemAsync(HttpStatusCode.NotFound, "key-not-found");

        Assert.Equal(Ids(before), Ids(await EntriesAsync(admin, "")));
    }

    [Fact]
    public async Task TicketKeys_RotatedAndRetired_AreBothRecorded()
    {
        using var admin = await server.ClientForAsync("admin");
        var oldKey = (await admin.GetArrayAsync("/api/admin/ticket-keys")).Single(k => (bool)k!["signing"]!).Int("keyId");

        var keys = await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/ticket-keys", null).OkArrayAsync();
        var newKey = keys.Single(k => (bool)k!["signing"]!).Int("keyId");
        await admin.SendJsonAsync(HttpMethod.Delete, $"/api/admin/ticket-keys/{oldKey}", null).OkArrayAsync();

        var entries = await EntriesAsync(admin, "action=ticket-key");
        Assert.Contains(entries, e => e.Str("action") == "ticket-key.rotate" && e.Str("target") == $"ticket-key/{newKey}" && e.Str("actor") == "admin");
        Assert.Contains(entries, e => e.Str("action") == "ticket-key.retire" && e.Str("target") == $"ticket-key/{oldKey}" && e.Str("actor") == "admin");
    }

    [Fact]
    public async Task Accounts_CreatedAndChanged_AreRecordedWithoutThePassword()
    {
        using var admin = await server.ClientForAsync("admin");
        var username = (await server.CreateAccountAsync("audited", "staff", venueIds: [Venue])).Str("username");
        await admin.SendJsonAsync(HttpMethod.Patch, $"/api/admin/accounts/{username}",
            new JsonObject { ["password"] = "Another-Good-Password-1", ["disabled"] = true }).OkAsync();

        var entries = (await EntriesAsync(admin, "action=account")).Where(e => e.Str("target") == username).ToList();

        Assert.Equal(["account.update", "account.create"], entries.Select(e => e.Str("action")));
        Assert.All(entries, e => Assert.Equal("admin", e.Str("actor")));
        Assert.Contains("password reset", entries[0].Str("summary"), StringComparison.Ordinal);
        Assert.Contains("\"disabled\":true", entries[0].Str("summary"), StringComparison.Ordinal);
        Assert.Contains(Venue, entries[1].Str("summary"), StringComparison.Ordinal);
        Assert.DoesNotContain("Another-Good-Password-1", entries[0].Str("summary"), StringComparison.Ordinal);
        Assert.DoesNotContain(SecurityServer.StrongPassword, entries[1].Str("summary"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckIns_RefusedOnlineAndSynced_AreReadFromTheCheckInLogWithTheStaffWhoScanned()
    {
        using var admin = await server.ClientForAsync("admin");
        using var staff = await server.ClientForAsync($"staff-{Venue}-b");
        var nonce = NewKey();

        await staff.SendJsonAsync(HttpMethod.Post, $"/api/venues/{Venue}/checkins", new JsonObject { ["code"] = "NOT-A-TICKET", ["desk"] = "east" })
            .ProblemAsync((HttpStatusCode)422, "invalid-code");
        var synced = await staff.SendJsonAsync(HttpMethod.Post, $"/api/venues/{Venue}/checkins/sync", new JsonArray(new JsonObject
        {
            ["code"] = "ALSO-NOT-A-TICKET", ["admit"] = 2, ["nonce"] = nonce, ["scannedAt"] = DateTimeOffset.UtcNow.AddMinutes(-30).ToString("O"), ["desk"] = "west",
        })).OkArrayAsync();
        Assert.Equal("invalid-code", synced[0].Str("outcome"));

        var entries = await EntriesAsync(admin, $"actor=staff-{Venue}-b&action=checkin");

        var online = Assert.Single(entries, e => e.Str("action") == "checkin.refuse");
        Assert.Equal("staff", online.Str("role"));
        Assert.Contains("invalid-code", online.Str("summary"), StringComparison.Ordinal);
        Assert.Contains("desk east", online.Str("summary"), StringComparison.Ordinal);
        var offline = Assert.Single(entries, e => e.Str("action") == "checkin.sync.refuse");
        Assert.Contains("desk west", offline.Str("summary"), StringComparison.Ordinal);
        Assert.All(entries, e => Assert.Equal($"staff-{Venue}-b", e.Str("actor")));
        Assert.DoesNotContain("NOT-A-TICKET", entries.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Query_Paged_WalksEveryEntryNewestFirstOnce()
    {
        using var admin = await server.ClientForAsync("admin");
        for (var i = 0; i < 5; i++)
        {
            await server.CreateAccountAsync($"page{i}", "planner");
        }
        var all = await EntriesAsync(admin, "action=account.create&limit=500");

        var walked = new List<JsonNode>();
        string? next = null;
        do
        {
            var page = await admin.GetObjectAsync($"/api/admin/audit?action=account.create&limit=2{(next is null ? "" : $"&before={next}")}");
            var entries = page["entries"]!.AsArray();
            Assert.True(entries.Count <= 2);
            walked.AddRange(entries.Select(e => e!));
            next = (string?)page["next"];
        }
        while (next is not null);

        Assert.True(all.Count >= 5);
        Assert.Equal(Ids(all), Ids(walked));
        var times = walked.Select(e => DateTimeOffset.Parse(e.Str("time"), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(times.OrderByDescending(t => t), times);
    }

    [Theory]
    [InlineData("from=yesterday")]
    [InlineData("to=2026-13-01")]
    [InlineData("from=2026-01-01&to=2026-03-01")]
    [InlineData("from=2026-03-01&to=2026-02-01")]
    [InlineData("from=0001-01-01&to=0001-01-02")]
    [InlineData("to=9999-12-31")]
    [InlineData("limit=0")]
    [InlineData("limit=-5")]
    [InlineData("limit=100000")]
    [InlineData("before=not-a-cursor!")]
    [InlineData("actor=")]
    public async Task Query_BadParameters_Returns400(string query)
    {
        using var admin = await server.ClientForAsync("admin");

        await admin.GetAsync($"/api/admin/audit?{query}", Ct).ProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task Query_DateRange_KeepsOnlyEntriesWithin()
    {
        using var admin = await server.ClientForAsync("admin");
        await server.CreateAccountAsync("dated", "planner");
        var today = TestDates.Today.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var lastMonth = TestDates.Today.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var yesterday = TestDates.Today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.NotEmpty(await EntriesAsync(admin, $"from={today}&to={today}&action=account"));
        Assert.Empty(await EntriesAsync(admin, $"from={lastMonth}&to={yesterday}&action=account"));
    }

    [Fact]
    public async Task AuditEntries_ServerRestarted_AreStillThere()
    {
        using var data = new TempDirectory();
        string id;
        await using (var first = new RedEducationServer(data.Path))
        {
            await first.InitializeAsync();
            using var admin = await first.ClientForAsync("admin");
            await admin.SendJsonAsync(HttpMethod.Patch, "/api/venues/leifeng-memorial", new JsonObject { ["dailyCap"] = 777 }).OkAsync();
            id = Assert.Single(await EntriesAsync(admin, "action=venue.update")).Str("id");
        }

        await using var second = new RedEducationServer(data.Path);
        await second.InitializeAsync();
        using var again = await second.ClientForAsync("admin");

        var entry = Assert.Single(await EntriesAsync(again, "action=venue.update"));
        Assert.Equal(id, entry.Str("id"));
        Assert.Contains("\"dailyCap\":777", entry.Str("summary"), StringComparison.Ordinal);
    }

    private static async Task<JsonArray> EntriesAsync(HttpClient admin, string query) =>
        (await admin.GetObjectAsync($"/api/admin/audit?{query}"))["entries"]!.AsArray();

    private static List<string> Ids(IEnumerable<JsonNode?> entries) => [.. entries.Select(e => e.Str("id"))];
}

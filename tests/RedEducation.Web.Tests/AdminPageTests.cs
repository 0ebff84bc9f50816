using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RedEducation.Domain.Geography;

using RedEducation.Testing;

namespace RedEducation.Web.Tests;

public sealed class AdminPageTests(WebServer web)
{
    private const string Venue = "heishan-memorial";

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task EditVenue_CapacityClosedDaysAndGcj02Position_TheVenueApiShowsThem(string language)
    {
        using var admin = await web.Server.ClientForAsync("admin");
        var before = (await admin.GetFromJsonAsync<JsonObject>($"/api/venues/{Venue}", Ct))!;
        var wgs = new LatLon((double)before["location"]!["lat"]!, (double)before["location"]!["lon"]!);
        var gcj = ChinaCoordinates.Wgs84ToGcj02(wgs);
        var capacity = (int)before["slotCapacity"]! - 25;
        var closure = TestDates.Next(DayOfWeek.Thursday).AddDays(7);
        try
        {
            await using var browser = await web.LaunchAsync($"--lang={language}");
            var page = await web.NewPageAsync(browser, language);
            await WebServer.SignInAsync(page, "admin", "/admin/");
            await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
            await page.Locator($".venue-link[data-venue='{Venue}']").ClickAsync();
            await Assertions.Expect(page.Locator("#venue-title")).ToHaveTextAsync(language == "en" ? "Heishan Blocking Battle Memorial Hall" : "黑山阻击战纪念馆");

            await page.Locator("#limit-slotCapacity").FillAsync(capacity.ToString(CultureInfo.InvariantCulture));
            await page.Locator("#closed-tuesday").CheckAsync();
            await page.Locator("#add-exception").ClickAsync();
            var row = page.Locator("#exception-table tbody tr").Last;
            await row.Locator(".ex-date").FillAsync(TestDates.Iso(closure));
            await row.Locator(".ex-open").SelectOptionAsync("false");
            await row.Locator(".ex-zh").FillAsync("展厅维修");
            await row.Locator(".ex-en").FillAsync("Halls under repair");
            await page.Locator("#pos-lat").FillAsync(gcj.Lat.ToString("0.0000000", CultureInfo.InvariantCulture));
            await page.Locator("#pos-lon").FillAsync(gcj.Lon.ToString("0.0000000", CultureInfo.InvariantCulture));
            await page.Locator("#pos-datum").SelectOptionAsync("gcj02");
            await page.Locator("#venue-save").ClickAsync();
            await Assertions.Expect(page.Locator("#toasts .toast.ok")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#closed-tuesday")).ToBeCheckedAsync();
            await WebServer.ScreenshotAsync(page, $"admin-venues-{language}");

            var after = (await admin.GetFromJsonAsync<JsonObject>($"/api/venues/{Venue}", Ct))!;
            Assert.Equal(capacity, (int)after["slotCapacity"]!);
            Assert.Contains("tuesday", after["closedWeekdays"]!.AsArray().Select(d => (string)d!));
            var exception = Assert.Single(after["exceptions"]!.AsArray(), e => (string?)e!["date"] == TestDates.Iso(closure))!;
            Assert.False((bool)exception["open"]!);
            Assert.Equal("Halls under repair", (string?)exception["note"]!["en"]);
            // Typed in GCJ-02 (about 500 m off), stored back where it was in WGS84.
            Assert.Equal(wgs.Lat, (double)after["location"]!["lat"]!, 5);
            Assert.Equal(wgs.Lon, (double)after["location"]!["lon"]!, 5);
            foreach (var closed in new[] { TestDates.Next(DayOfWeek.Tuesday), closure })
            {
                var day = await admin.GetFromJsonAsync<JsonObject>($"/api/venues/{Venue}/availability?date={TestDates.Iso(closed)}", Ct);
                Assert.False((bool)day!["open"]!, $"{TestDates.Iso(closed)} is closed");
            }
            var open = await admin.GetFromJsonAsync<JsonObject>($"/api/venues/{Venue}/availability?date={TestDates.Iso(TestDates.Next(DayOfWeek.Wednesday))}", Ct);
            Assert.All(open!["slots"]!.AsArray(), s => Assert.Equal(capacity, (int)s!["capacity"]!));
        }
        finally
        {
            // Other pages' tests share this server: put the venue back as it was.
            using var restore = await admin.PatchAsJsonAsync($"/api/venues/{Venue}", new JsonObject
            {
                ["slotCapacity"] = before["slotCapacity"]!.DeepClone(),
                ["closedWeekdays"] = before["closedWeekdays"]!.DeepClone(),
                ["exceptions"] = before["exceptions"]!.DeepClone(),
                ["location"] = new JsonObject
                {
                    ["lat"] = wgs.Lat, ["lon"] = wgs.Lon, ["datum"] = "wgs84",
                    ["accuracyMeters"] = before["coordinate"]!["accuracyMeters"]!.DeepClone(), ["source"] = (string?)before["coordinate"]!["source"],
                },
            }, Ct);
            Assert.Equal(HttpStatusCode.OK, restore.StatusCode);
        }
    }

    [Theory]
    [InlineData("zh-CN")]
    [InlineData("en")]
    public async Task CreateStaffAccount_BoundToAVenue_CanSignInAndWorksThere(string language)
    {
        var username = $"staff-web-{Guid.NewGuid():N}"[..18];
        const string Password = "desk-password-2026";
        await using var browser = await web.LaunchAsync($"--lang={language}");
        var page = await web.NewPageAsync(browser, language);
        await WebServer.SignInAsync(page, "admin", "/admin/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        await page.Locator("#tab-accounts").ClickAsync();
        await Assertions.Expect(page.Locator("#account-table tbody tr[data-username='staff-liaoshen-memorial']")).ToBeVisibleAsync();

        await page.Locator("#acc-username").FillAsync(username);
        await page.Locator("#acc-display").FillAsync("辽沈纪念馆 C 岗");
        await page.Locator("#acc-role").SelectOptionAsync("staff");
        await page.Locator("#acc-password").FillAsync(Password);
        await page.Locator("#acc-venues input[data-venue='liaoshen-memorial']").CheckAsync();
        await page.Locator("#account-save").ClickAsync();

        var row = page.Locator($"#account-table tbody tr[data-username='{username}']");
        await Assertions.Expect(row).ToContainTextAsync(language == "en" ? "Liaoshen Campaign Memorial Hall" : "辽沈战役纪念馆");
        using var admin = await web.Server.ClientForAsync("admin");
        var account = await admin.GetFromJsonAsync<JsonObject>($"/api/admin/accounts/{username}", Ct);
        Assert.Equal("staff", (string?)account!["role"]);
        Assert.Equal(["liaoshen-memorial"], account["venueIds"]!.AsArray().Select(v => (string)v!));
        using var anonymous = web.Server.Anonymous();
        using var signIn = await anonymous.PostAsJsonAsync("/api/auth/token", new { username, password = Password }, Ct);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
        var token = await signIn.Content.ReadFromJsonAsync<JsonObject>(Ct);
        Assert.Equal("staff", (string?)token!["role"]);
        using var staff = web.Server.WithToken((string)token["accessToken"]!);
        using var occupancy = await staff.GetAsync($"/api/venues/liaoshen-memorial/occupancy?date={TestDates.Iso(TestDates.Next(DayOfWeek.Wednesday))}", Ct);
        Assert.Equal(HttpStatusCode.OK, occupancy.StatusCode);

        // Rebind: a second venue, then the account is disabled.
        await row.Locator("button").ClickAsync();
        await page.Locator("#acc-venues input[data-venue='peishuichi-battle-site']").CheckAsync();
        await page.Locator("#acc-disabled").CheckAsync();
        await page.Locator("#account-save").ClickAsync();
        await Assertions.Expect(row).ToContainTextAsync(language == "en" ? "Disabled" : "已停用");
        account = await admin.GetFromJsonAsync<JsonObject>($"/api/admin/accounts/{username}", Ct);
        Assert.Equal(["liaoshen-memorial", "peishuichi-battle-site"], account!["venueIds"]!.AsArray().Select(v => (string)v!).Order());
        Assert.True((bool)account["disabled"]!);
        await page.Locator("#account-new").ClickAsync();
        await WebServer.ScreenshotAsync(page, $"admin-accounts-{language}");
    }

    [Fact]
    public async Task TicketKeys_RotateTwiceAndRetireTheMiddleKey_ListShowsItAndTheAuditLogTellsIt()
    {
        using var admin = await web.Server.ClientForAsync("admin");
        var before = (await admin.GetFromJsonAsync<JsonArray>("/api/admin/ticket-keys", Ct))!.Select(k => (int)k!["keyId"]!).ToList();
        await using var browser = await web.LaunchAsync("--lang=zh-CN");
        var page = await web.NewPageAsync(browser, "zh-CN");
        await WebServer.SignInAsync(page, "admin", "/admin/");
        await Assertions.Expect(page.Locator("body[data-ready=true]")).ToBeAttachedAsync();
        await page.Locator("#tab-keys").ClickAsync();
        await Assertions.Expect(page.Locator("#key-table tbody tr")).ToHaveCountAsync(before.Count);

        await page.Locator("#rotate-key").ClickAsync();
        await Assertions.Expect(page.Locator("#key-table tbody tr")).ToHaveCountAsync(before.Count + 1);
        await page.Locator("#rotate-key").ClickAsync();
        await Assertions.Expect(page.Locator("#key-table tbody tr")).ToHaveCountAsync(before.Count + 2);
        var keys = (await admin.GetFromJsonAsync<JsonArray>("/api/admin/ticket-keys", Ct))!;
        var signing = (int)keys.Single(k => (bool)k!["signing"]!)!["keyId"]!;
        var middle = keys.Select(k => (int)k!["keyId"]!).Except(before).Single(id => id != signing);
        await Assertions.Expect(page.Locator($"#key-table tr[data-key='{signing}']")).ToContainTextAsync("签名中");

        var retire = page.Locator($"#key-table tr[data-key='{middle}'] button");
        await retire.ClickAsync();
        await Assertions.Expect(retire).ToHaveTextAsync("确认停用？再点一次");
        await retire.ClickAsync();
        await Assertions.Expect(page.Locator($"#key-table tr[data-key='{middle}']")).ToHaveCountAsync(0);
        keys = (await admin.GetFromJsonAsync<JsonArray>("/api/admin/ticket-keys", Ct))!;
        Assert.DoesNotContain(middle, keys.Select(k => (int)k!["keyId"]!));
        Assert.Equal(signing, (int)keys.Single(k => (bool)k!["signing"]!)!["keyId"]!);
        await WebServer.ScreenshotAsync(page, "admin-keys-zh-CN");
        // The messages of the Chinese page fade before the English screenshot.
        await Assertions.Expect(page.Locator("#toasts .toast")).ToHaveCountAsync(0, new() { Timeout = 20_000 });
        await page.Locator("#language").ClickAsync();
        await Assertions.Expect(page.Locator($"#key-table tr[data-key='{signing}']")).ToContainTextAsync("Signing");
        await WebServer.ScreenshotAsync(page, "admin-keys-en");

        // An account with a Chinese name, so that the log has a summary beyond ASCII to show.
        var planner = $"planner-{Guid.NewGuid():N}"[..16];
        using var created = await admin.PostAsJsonAsync("/api/admin/accounts",
            new { username = planner, displayName = "规划处 王老师", role = "planner", password = "planner-password-2026" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        await page.Locator("#tab-audit").ClickAsync();
        await Assertions.Expect(page.Locator("#audit-table tbody tr", new() { HasText = "Key retired" }).Filter(new() { HasText = $"ticket-key/{middle}" })).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#audit-table tbody tr", new() { HasText = planner }).First).ToContainTextAsync("规划处 王老师");
        Assert.DoesNotContain("\\u", await page.Locator("#audit-table").InnerTextAsync(), StringComparison.Ordinal);
        await WebServer.ScreenshotAsync(page, "admin-audit-en");
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
}

using RedEducation.Testing;
using static RedEducation.Web.Tests.StaffDesk;

namespace RedEducation.Web.Tests;

/// <summary>
/// The venue desk (/staff/) in Chromium: the camera scanner fed a video of a real ticket, typed codes, part and whole
/// admissions, forged codes, and offline work — codes verified in the browser, admissions queued and synced.
/// </summary>
public sealed class StaffPageTests(WebServer web) : IDisposable
{
    /// <summary>The business clock goes back to now for whichever test runs next.</summary>
    public void Dispose() => web.Clock.Now = DateTimeOffset.UtcNow;

    [Fact]
    public async Task CameraScanner_RealTicketVideo_ShowsTheGroupAndAdmitsAll()
    {
        var group = await BookAsync(web, "unit2", OpenDayBefore(3), headcount: 24);
        using var folder = new TempDirectory();
        var video = Path.Combine(folder.Path, "ticket.y4m");
        await WriteTicketVideoAsync(await TicketPngAsync(web, group), video);
        await using var browser = await web.LaunchAsync(
            "--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream", $"--use-file-for-fake-video-capture={video}");
        var page = await OpenDeskAsync(web, browser, StaffA, "zh-CN", group);

        await page.Locator("#camera-toggle").ClickAsync();

        // The name the unit's account gives, not its id.
        await Assertions.Expect(page.Locator("#group-unit")).ToHaveTextAsync("大连市中级人民法院 Dalian Intermediate People's Court");
        await Assertions.Expect(page.Locator("#group-headcount")).ToHaveTextAsync("24");
        await Assertions.Expect(page.Locator("#group-arrived")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#admit-all")).ToHaveTextAsync("全部入场（24 人）");
        await ScreenshotInBothLanguagesAsync(page, "scanner", page.Locator("#admit-all"), "Admit all (24)");

        await page.Locator("#admit-all").ClickAsync();

        await Assertions.Expect(page.Locator("#admit-message")).ToHaveTextAsync("已放行 24 人，已到 24 / 24 人");
        await Assertions.Expect(page.Locator("#group-remaining")).ToHaveTextAsync("0");
        var slot = await OccupancyAsync(web, group);
        Assert.Equal(24, (int)slot["arrived"]!);
        Assert.Equal(1, (int)slot["groupsArrived"]!);
        await Assertions.Expect(page.Locator("#occupancy-body tr[data-slot='10:00'] .arrived")).ToHaveTextAsync("24");
    }

    [Fact]
    public async Task TypedCode_PartThenTheRest_AdmitsEachOnceAndAForgedCodeIsRefused()
    {
        var group = await BookAsync(web, "unit3", OpenDayBefore(6), headcount: 30);
        await using var browser = await web.LaunchAsync();
        var page = await OpenDeskAsync(web, browser, StaffA, "zh-CN", group);

        await CheckTypedAsync(page, group.Code);
        await page.Locator("#admit-count").FillAsync("27");
        await page.Locator("#admit-part").ClickAsync();

        await Assertions.Expect(page.Locator("#admit-message")).ToHaveTextAsync("已放行 27 人，已到 27 / 30 人");
        await Assertions.Expect(page.Locator("#group-remaining")).ToHaveTextAsync("3");
        await Assertions.Expect(ExpectedRow(page, group).Locator(".arrived")).ToHaveTextAsync("27");
        await Assertions.Expect(ExpectedRow(page, group).Locator(".badge")).ToHaveTextAsync("部分到达");
        Assert.Equal(27, (int)(await OccupancyAsync(web, group))["arrived"]!);
        await ScreenshotInBothLanguagesAsync(page, "list", ExpectedRow(page, group).Locator(".badge"), "Partly in");

        await page.Locator("#admit-all").ClickAsync();

        await Assertions.Expect(page.Locator("#admit-message")).ToHaveTextAsync("已放行 3 人，已到 30 / 30 人");
        await Assertions.Expect(page.Locator(".all-in")).ToHaveTextAsync("该团已全部入场");
        await Assertions.Expect(ExpectedRow(page, group).Locator(".badge")).ToHaveTextAsync("已到齐");
        Assert.Equal(30, (int)(await OccupancyAsync(web, group))["arrived"]!);
        Assert.Equal(new[] { 27, 3 }, (await LogAsync(web, group)).Select(e => (int)e!["admitted"]!).Where(n => n > 0));

        await CheckTypedAsync(page, Forge(group.Code));

        await Assertions.Expect(page.Locator("#refusal")).ToHaveTextAsync("无效凭证：二维码内容或签名不正确（可能被篡改或损坏）");
        await Assertions.Expect(page.Locator("#admit-all")).ToHaveCountAsync(0);
        Assert.Equal(30, (int)(await OccupancyAsync(web, group))["arrived"]!);
    }

    [Fact]
    public async Task TypedCode_OutsideItsWindow_TheServersRefusalIsShownInWords()
    {
        // At 10:10 the 15:00 group's window (14:00 to 18:30) has not opened.
        var day = OpenDayBefore(18);
        var group = await BookAsync(web, "unit1", day, headcount: 20);
        var later = await BookAsync(web, "unit2", day, headcount: 20, slot: "15:00");
        await using var browser = await web.LaunchAsync();
        var page = await OpenDeskAsync(web, browser, StaffA, "en", group);

        await CheckTypedAsync(page, later.Code);
        await Assertions.Expect(page.Locator("#group-slot")).ToHaveTextAsync($"{Text(day)} 15:00");
        await page.Locator("#admit-all").ClickAsync();

        await Assertions.Expect(page.Locator("#admit-message")).ToHaveTextAsync("Outside this ticket’s entry window");
        var refusal = Assert.Single(await LogAsync(web, group));
        Assert.Equal("outside-window", (string?)refusal!["outcome"]);
        Assert.Equal(0, (int)refusal["admitted"]!);
    }

    [Fact]
    public async Task Offline_EachKindOfBadTicket_IsRefusedInTheBrowserWithItsReason()
    {
        var day = OpenDayBefore(21);
        var group = await BookAsync(web, "unit1", day, headcount: 10);
        var resized = await BookAsync(web, "unit2", day, headcount: 12);
        await ResizeAsync(web, resized, 14);
        var cancelled = await BookAsync(web, "unit3", day, headcount: 9);
        await CancelAsync(web, cancelled);
        var later = await BookAsync(web, "unit3", day, headcount: 7, slot: "15:00");
        var otherVenue = await BookAsync(web, "unit1", day, headcount: 6, venueId: "leifeng-memorial");
        var otherDay = await BookAsync(web, "unit2", OpenDayBefore(24), headcount: 8);
        await using var browser = await web.LaunchAsync();
        var page = await OpenDeskAsync(web, browser, StaffA, "zh-CN", group);
        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("离线");

        var refusals = new (string Code, string Reason)[]
        {
            (Forge(group.Code), "无效凭证：二维码内容或签名不正确（可能被篡改或损坏）"),
            (group.Code[..100], "无效凭证：二维码内容或签名不正确（可能被篡改或损坏）"),
            (resized.Code, "凭证已失效：预约有变更，已重新签发新凭证"),
            (cancelled.Code, "该预约已取消"),
            (later.Code, "不在入场时间内：请在预约时段前后规定时间内入场"),
            (otherVenue.Code, "非本馆凭证：该团预约的是其他场馆"),
            (otherDay.Code, "非当日凭证：该团预约的不是这一天"),
        };
        foreach (var (code, reason) in refusals)
        {
            await CheckTypedAsync(page, code);
            await Assertions.Expect(page.Locator("#refusal")).ToHaveTextAsync(reason);
        }

        await CheckTypedAsync(page, group.Code);
        await Assertions.Expect(page.Locator("#offline-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("0");
    }

    [Fact]
    public async Task Offline_TypedCode_VerifiedInTheBrowserQueuedAndSyncedWhenOnline()
    {
        var day = OpenDayBefore(9);
        var group = await BookAsync(web, "unit1", day, headcount: 10);
        await using var browser = await web.LaunchAsync();
        var page = await OpenDeskAsync(web, browser, StaffA, "zh-CN", group);

        await page.Context.SetOfflineAsync(true);
        await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("离线");
        await CheckTypedAsync(page, group.Code);

        await Assertions.Expect(page.Locator("#offline-note")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#group-headcount")).ToHaveTextAsync("10");
        await page.Locator("#admit-all").ClickAsync();
        await Assertions.Expect(page.Locator("#admit-message")).ToHaveTextAsync("离线放行 10 人，已加入待同步队列");
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");
        await Assertions.Expect(page.Locator("#queue-body tr[data-outcome='pending']")).ToHaveCountAsync(1);
        await Assertions.Expect(ExpectedRow(page, group).Locator(".arrived")).ToHaveTextAsync("10");
        await ScreenshotInBothLanguagesAsync(page, "queue", page.Locator("#queue-body .badge"), "Waiting to sync");

        await CheckTypedAsync(page, Forge(group.Code));
        await Assertions.Expect(page.Locator("#refusal")).ToHaveTextAsync("无效凭证：二维码内容或签名不正确（可能被篡改或损坏）");
        await CheckTypedAsync(page, group.Code);
        await Assertions.Expect(page.Locator(".all-in")).ToHaveTextAsync("该团已全部入场");
        Assert.Equal(0, (int)(await OccupancyAsync(web, group))["arrived"]!);

        // The queue is kept in the browser: a reload while the server still cannot take it loses nothing.
        await page.RouteAsync("**/checkins/sync", route => route.AbortAsync());
        await page.Context.SetOfflineAsync(false);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#queue-body tr[data-outcome='pending']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");
        await page.UnrouteAsync("**/checkins/sync");

        await page.Locator("#sync").ClickAsync();

        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#queue-body tr[data-outcome='admitted'] .badge")).ToHaveTextAsync("已接收");
        var slot = await OccupancyAsync(web, group);
        Assert.Equal(10, (int)slot["arrived"]!);
        Assert.Equal(0, (int)slot["forced"]!);
        var admission = Assert.Single(await LogAsync(web, group), e => (int)e!["admitted"]! > 0);
        Assert.True((bool)admission!["offline"]!);
        Assert.Equal(VisitInstant(day), DateTimeOffset.Parse((string)admission["scannedAt"]!, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task ServerGone_PageReloadsFromItsServiceWorkerAndStillAdmitsOffline()
    {
        // A server of this test's own, so that it can be stopped: then nothing answers at all, unlike Chromium's offline
        // emulation, which a service worker's own requests pass through.
        var own = new WebServer();
        await own.InitializeAsync();
        try
        {
            var group = await BookAsync(own, "unit1", OpenDayBefore(3), headcount: 11);
            await using var browser = await own.LaunchAsync();
            var page = await OpenDeskAsync(own, browser, StaffA, "zh-CN", group);
            await page.WaitForFunctionAsync("() => navigator.serviceWorker.controller !== null");

            await own.Server.DisposeAsync();
            await page.ReloadAsync();

            await Assertions.Expect(page.Locator("#connection")).ToHaveTextAsync("离线");
            await Assertions.Expect(ExpectedRow(page, group)).ToBeVisibleAsync();
            await CheckTypedAsync(page, Forge(group.Code));
            await Assertions.Expect(page.Locator("#refusal")).ToHaveTextAsync("无效凭证：二维码内容或签名不正确（可能被篡改或损坏）");
            await CheckTypedAsync(page, group.Code);
            await Assertions.Expect(page.Locator("#offline-note")).ToBeVisibleAsync();
            await page.Locator("#admit-count").FillAsync("5");
            await page.Locator("#admit-part").ClickAsync();
            await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");
            await Assertions.Expect(page.Locator("#group-remaining")).ToHaveTextAsync("6");
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task TicketReader_RealCode_ReadsTheServersLayoutAndRefusesEveryOneCharacterChange()
    {
        var group = await BookAsync(web, "unit2", OpenDayBefore(27), headcount: 17, slot: "11:00");
        await using var browser = await web.LaunchAsync();
        // A phone at the desk: the same page in one column.
        var page = await OpenDeskAsync(web, browser, StaffA, "zh-CN", group, new ViewportSize { Width = 390, Height = 844 });

        // Each of the 154 characters replaced by another of the alphabet, verified by the page's own module against the
        // manifest it cached; the unchanged code is the control that verification can pass at all.
        var answer = await page.EvaluateAsync<System.Text.Json.JsonElement>(
            """
            async ([code, key]) => {
              const { verifyCode, parseCode } = await import('/staff/ticket.js');
              const manifest = JSON.parse(localStorage.getItem(key)).manifest;
              const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
              const accepted = [];
              for (let i = 0; i < code.length; i++) {
                const other = alphabet[(alphabet.indexOf(code[i]) + 1 + (i % 31)) % 32];
                if ((await verifyCode(code.slice(0, i) + other + code.slice(i + 1), manifest)).ok) accepted.push(i);
              }
              return { original: (await verifyCode(code, manifest)).ok, claims: parseCode(code).claims, accepted, length: code.length };
            }
            """,
            new object[] { group.Code, $"redu.staff.manifest:{VenueId}:{Text(group.Date)}" });

        Assert.True(answer.GetProperty("original").GetBoolean());
        Assert.Equal(154, answer.GetProperty("length").GetInt32());
        Assert.Empty(answer.GetProperty("accepted").EnumerateArray());
        var claims = answer.GetProperty("claims");
        Assert.Equal(group.Id, claims.GetProperty("bookingId").GetString());
        Assert.Equal(Text(group.Date), claims.GetProperty("date").GetString());
        Assert.Equal("11:00", claims.GetProperty("slot").GetString());
        Assert.Equal(17, claims.GetProperty("headcount").GetInt32());
        Assert.Equal(0, claims.GetProperty("serial").GetInt32());
        Assert.Equal(-60, claims.GetProperty("opensMinutes").GetInt32());
        Assert.Equal(180, claims.GetProperty("closesMinutes").GetInt32());

        await CheckTypedAsync(page, group.Code);
        await Assertions.Expect(page.Locator("#admit-all")).ToHaveTextAsync("全部入场（17 人）");
        await ScreenshotInBothLanguagesAsync(page, "phone", page.Locator("#admit-all"), "Admit all (17)");
    }

    [Fact]
    public async Task Sync_DeskClockTenMinutesFast_ScanStaysQueuedUntilTheServerCanTakeIt()
    {
        var group = await BookAsync(web, "unit3", OpenDayBefore(30), headcount: 9);
        await using var browser = await web.LaunchAsync();
        var page = await OpenDeskAsync(web, browser, StaffA, "zh-CN", group);
        var fast = VisitInstant(group.Date).AddMinutes(10);
        await page.Clock.SetFixedTimeAsync(fast.UtcDateTime);
        await page.Context.SetOfflineAsync(true);
        await CheckTypedAsync(page, group.Code);
        await page.Locator("#admit-all").ClickAsync();
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");

        // The server refuses an upload holding a scan more than 5 minutes in its future; the scan is kept, not dropped.
        await page.Context.SetOfflineAsync(false);
        await Assertions.Expect(page.Locator("#sync-status")).ToHaveTextAsync("已同步 0 条；1 条的扫码时间晚于服务器时间（本机时钟偏快），稍后再同步");
        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("1");
        Assert.Equal(0, (int)(await OccupancyAsync(web, group))["arrived"]!);

        web.Clock.Now = fast;
        await page.Locator("#sync").ClickAsync();

        await Assertions.Expect(page.Locator("#queue-count")).ToHaveTextAsync("0");
        await Assertions.Expect(page.Locator("#queue-body .badge")).ToHaveTextAsync("已接收");
        Assert.Equal(9, (int)(await OccupancyAsync(web, group))["arrived"]!);
    }

    [Fact]
    public async Task TwoOfflineDesks_SameGroupPastItsHeadcount_BothKeptAndTheLaterFlaggedForced()
    {
        var group = await BookAsync(web, "unit1", OpenDayBefore(15), headcount: 8);
        await using var browser = await web.LaunchAsync();
        var deskA = await OpenDeskAsync(web, browser, StaffA, "zh-CN", group);
        var deskB = await OpenDeskAsync(web, browser, StaffB, "zh-CN", group);

        foreach (var desk in new[] { deskA, deskB })
        {
            await desk.Context.SetOfflineAsync(true);
            await Assertions.Expect(desk.Locator("#connection")).ToHaveTextAsync("离线");
            await CheckTypedAsync(desk, group.Code);
            await desk.Locator("#admit-all").ClickAsync();
            await Assertions.Expect(desk.Locator("#queue-count")).ToHaveTextAsync("1");
        }

        await deskA.Context.SetOfflineAsync(false);
        await Assertions.Expect(deskA.Locator("#queue-count")).ToHaveTextAsync("0");
        await deskB.Context.SetOfflineAsync(false);
        await Assertions.Expect(deskB.Locator("#queue-count")).ToHaveTextAsync("0");

        await Assertions.Expect(deskA.Locator("#queue-body .badge")).ToHaveTextAsync("已接收");
        await Assertions.Expect(deskB.Locator("#queue-body .badge")).ToHaveTextAsync("已接收 · 超员强制放行");
        var slot = await OccupancyAsync(web, group);
        Assert.Equal(16, (int)slot["arrived"]!);
        Assert.Equal(8, (int)slot["forced"]!);
        await Assertions.Expect(deskB.Locator("#occupancy-body tr[data-slot='10:00'] .forced")).ToHaveTextAsync("8");
        await Assertions.Expect(ExpectedRow(deskB, group).Locator(".badge")).ToHaveTextAsync("超员");
        await ScreenshotInBothLanguagesAsync(deskB, "synced", deskB.Locator("#queue-body .badge"), "Accepted · forced over headcount");
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RedEducation.Testing;

namespace RedEducation.Web.Tests;

/// <summary>
/// The unit organiser's page (/unit/) driven as an organiser would: find a venue, pick a day and slot, book, see the
/// ticket; change, move and cancel it; a refusal in words; a whole study route. Each step is checked on the server too.
/// Every test uses its own venue (or unit) so that the shared server's days do not interfere.
/// </summary>
public sealed class UnitPageTests(WebServer web)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("zh-CN", "10:00", "需提前 3 天", "已确认")]
    [InlineData("en", "11:00", "3 days’ notice", "Confirmed")]
    public async Task BookSlot_FromVenueListToTicket_ShowsQrAndServerHoldsTheBooking(string language, string slot, string tooSoon, string confirmed)
    {
        await using var browser = await web.LaunchAsync();
        var page = await SignedInAsync(browser, language, "unit1");
        var day = OpenDay("leifeng-memorial", 5);

        await Assertions.Expect(page.Locator("#venue-list article.venue")).ToHaveCountAsync(TestVenues.Seeded.Count);
        await Assertions.Expect(page.Locator("#venue-map .leaflet-interactive")).ToHaveCountAsync(TestVenues.Seeded.Count);
        await ScreenshotAsync(page, $"unit-venues-{language}");

        await page.Locator("article.venue[data-venue='leifeng-memorial'] a.button").ClickAsync();
        var tomorrow = await DayCellAsync(page, "#calendar", Today.AddDays(1));
        await Assertions.Expect(tomorrow).ToBeDisabledAsync();
        await Assertions.Expect(tomorrow).ToContainTextAsync(tooSoon);
        await PickSlotAsync(page, "#calendar", day, slot);
        await FillBookingFormAsync(page, 23, "李明", "024-86000000");
        await ScreenshotAsync(page, $"unit-book-{language}");
        await page.Locator("#book-submit").ClickAsync();

        var id = await BookingIdFromUrlAsync(page);
        await AssertQrShownAsync(page);
        await Assertions.Expect(page.Locator(".booking-info .badge")).ToHaveTextAsync(confirmed);
        await ScreenshotAsync(page, $"unit-ticket-{language}");
        var booking = await GetAsync("unit1", $"/api/bookings/{id}");
        Assert.Equal("confirmed", (string?)booking["status"]);
        Assert.Equal(23, (int?)booking["headcount"]);
        Assert.Equal(Iso(day), (string?)booking["date"]);
        Assert.Equal(slot, (string?)booking["slot"]);

        var printable = await page.RunAndWaitForPopupAsync(() => page.Locator("#ticket-print").ClickAsync());
        await Assertions.Expect(printable.Locator("body")).ToContainTextAsync("雷锋纪念馆");
        await printable.CloseAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.Locator("#ticket-ics").ClickAsync());
        var calendar = await File.ReadAllTextAsync(await download.PathAsync(), Ct);
        Assert.Contains("BEGIN:VCALENDAR", calendar, StringComparison.Ordinal);
        Assert.Contains(Iso(day).Replace("-", "", StringComparison.Ordinal), calendar, StringComparison.Ordinal);

        await page.Locator("#unit-tabs a[data-tab='bookings']").ClickAsync();
        await Assertions.Expect(page.Locator($"#booking-list tr[data-booking='{id}'] .badge")).ToHaveTextAsync(confirmed);
        await ScreenshotAsync(page, $"unit-bookings-{language}");
    }

    [Fact]
    public async Task ChangeBooking_ResizeRescheduleCancel_ServerFollowsEachStep()
    {
        var venue = "shenyang-cpv-cemetery";
        var day = OpenDay(venue, 6);
        var later = OpenDay(venue, 9);
        var id = (string)(await BookThroughApiAsync("unit2", venue, day, "09:30", 20))["id"]!;
        await using var browser = await web.LaunchAsync();
        var page = await SignedInAsync(browser, "en", "unit2", $"#/bookings/{id}");
        await AssertQrShownAsync(page);
        var firstQr = await page.Locator("#ticket-qr").GetAttributeAsync("src");

        await page.Locator("#resize-headcount").FillAsync("31");
        await page.Locator("#resize-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#booking-headcount")).ToHaveTextAsync("31");
        Assert.Equal(31, (int?)(await GetAsync("unit2", $"/api/bookings/{id}"))["headcount"]);
        await AssertQrShownAsync(page);
        Assert.NotEqual(firstQr, await page.Locator("#ticket-qr").GetAttributeAsync("src"));

        await PickSlotAsync(page, "#reschedule", later, "13:30");
        await page.Locator("#reschedule-confirm").ClickAsync();
        await Assertions.Expect(page.Locator(".booking-info")).ToContainTextAsync("13:30");
        var moved = await GetAsync("unit2", $"/api/bookings/{id}");
        Assert.Equal((Iso(later), "13:30", 31, "confirmed"),
            ((string?)moved["date"], (string?)moved["slot"], (int?)moved["headcount"], (string?)moved["status"]));
        await ScreenshotAsync(page, "unit-booking-changed-en");

        await page.Locator("#cancel-booking").ClickAsync();
        await Assertions.Expect(page.Locator("#cancel-box")).ToContainTextAsync("cannot be undone");
        Assert.Equal("confirmed", (string?)(await GetAsync("unit2", $"/api/bookings/{id}"))["status"]);
        await page.Locator("#cancel-yes").ClickAsync();
        await Assertions.Expect(page.Locator(".booking-info .badge")).ToHaveTextAsync("Cancelled");
        Assert.Equal("cancelled", (string?)(await GetAsync("unit2", $"/api/bookings/{id}"))["status"]);
        await Assertions.Expect(page.Locator("#ticket-qr")).ToHaveCountAsync(0);

        await page.Locator("#language").ClickAsync();
        await Assertions.Expect(page.Locator(".booking-info .badge")).ToHaveTextAsync("已取消");
        await Assertions.Expect(page.Locator("main h1")).ToHaveTextAsync("预约详情");
    }

    [Fact]
    public async Task BookSlot_GroupTooLarge_ShowsTheReasonAndBooksNothing()
    {
        var venue = "guan-xiangying-memorial";
        var day = OpenDay(venue, 7);
        await using var browser = await web.LaunchAsync();
        var page = await SignedInAsync(browser, "zh-CN", "unit3", $"#/book/{venue}");

        await PickSlotAsync(page, "#calendar", day, "10:00");
        await FillBookingFormAsync(page, 80, "赵老师", "0416-1234567");
        await page.Locator("#book-submit").ClickAsync();

        await Assertions.Expect(page.Locator("#book-message")).ToHaveTextAsync("人数超过该馆团体上限（60 人）。");
        await ScreenshotAsync(page, "unit-refused-zh-CN");
        Assert.Contains("/unit/#/book/", page.Url, StringComparison.Ordinal);
        var bookings = await GetArrayAsync("unit3", "/api/bookings");
        Assert.DoesNotContain(bookings, b => (string?)b!["venueId"] == venue && (string?)b["date"] == Iso(day));
    }

    [Fact]
    public async Task BookSlot_AnswerLostThenSubmittedAgain_SendsTheSameKeyAndMakesOneBooking()
    {
        var venue = "mangniutun-command-post";
        var day = OpenDay(venue, 4);
        await using var browser = await web.LaunchAsync();
        var page = await SignedInAsync(browser, "zh-CN", "unit1", $"#/book/{venue}");
        var keys = new List<string>();
        await page.RouteAsync("**/api/bookings", async route =>
        {
            keys.Add(route.Request.Headers["idempotency-key"]);
            if (keys.Count == 1)
            {
                // The server books, but its answer never reaches the browser.
                await route.FetchAsync();
                await route.AbortAsync();
                return;
            }
            await route.ContinueAsync();
        });

        await PickSlotAsync(page, "#calendar", day, "11:00");
        await FillBookingFormAsync(page, 12, "钱老师", "0416-2222333");
        await page.Locator("#book-submit").ClickAsync();
        await Assertions.Expect(page.Locator("#book-message")).ToHaveTextAsync("网络不可用");
        await page.Locator("#book-submit").ClickAsync();

        var id = await BookingIdFromUrlAsync(page);
        Assert.Equal(2, keys.Count);
        Assert.Equal(keys[0], keys[1]);
        var made = (await GetArrayAsync("unit1", "/api/bookings")).Where(b => (string?)b!["venueId"] == venue).ToList();
        Assert.Equal(id, (string?)Assert.Single(made)!["id"]);
    }

    [Fact]
    public async Task BookSlot_SlotFull_OffersTheWaitlistAndJoinsIt()
    {
        var venue = "dalian-industrial-society";
        var day = OpenDay(venue, 5);
        await BookThroughApiAsync("unit1", venue, day, "14:00", 35);
        await using var browser = await web.LaunchAsync();
        var page = await SignedInAsync(browser, "en", "unit2", $"#/book/{venue}");

        // 35 of the day's cap of 300 are taken, though its eight slots of 40 would offer 285.
        await Assertions.Expect(await DayCellAsync(page, "#calendar", day)).ToContainTextAsync("265 free");
        await PickSlotAsync(page, "#calendar", day, "14:00");
        await FillBookingFormAsync(page, 20, "Ms Wang", "0411 8888 6666");
        await page.Locator("#book-submit").ClickAsync();

        await Assertions.Expect(page.Locator("#book-message .error")).ToHaveTextAsync("This slot has no room for a group of that size.");
        await ScreenshotAsync(page, "unit-refused-en");
        Assert.DoesNotContain(await GetArrayAsync("unit2", "/api/bookings"), b => (string?)b!["venueId"] == venue);
        await page.Locator("#join-waitlist").ClickAsync();

        var id = await BookingIdFromUrlAsync(page);
        await Assertions.Expect(page.Locator(".booking-info .badge")).ToHaveTextAsync("Waitlisted · position 1");
        var booking = await GetAsync("unit2", $"/api/bookings/{id}");
        Assert.Equal(("waitlisted", 1, 20), ((string?)booking["status"], (int?)booking["waitlistPosition"], (int?)booking["headcount"]));
    }

    [Theory]
    [InlineData("zh-CN", 8, "整条线路已预约", "线路未预约：第 1 站")]
    [InlineData("en", 10, "The whole route is booked", "Route not booked: stop 1")]
    public async Task BookRoute_SharedStudyRoute_BooksEveryStopOrShowsWhichStopRefused(string language, int daysAhead, string booked, string notBooked)
    {
        var stops = new[] { "tashan-memorial", "peishuichi-battle-site" };
        var day = OpenDay(stops[0], daysAhead);
        var routeId = await SaveRouteAsync($"塔山—配水池 {language}", stops);
        await using var browser = await web.LaunchAsync();
        var page = await SignedInAsync(browser, language, "unit3", "#/routes");
        var card = page.Locator($"article.route[data-route='{routeId}']");

        await card.Locator("select[name=date]").SelectOptionAsync(Iso(day));
        await card.Locator("input[name=headcount]").FillAsync("80");
        await card.Locator("input[name=contactName]").FillAsync("赵老师");
        await card.Locator("input[name=contactPhone]").FillAsync("0416-7654321");
        await card.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(card.Locator(".route-outcome > p.error")).ToContainTextAsync(notBooked);
        await Assertions.Expect(card.Locator(".route-result tbody tr")).ToHaveCountAsync(2);
        Assert.DoesNotContain(await GetArrayAsync("unit3", "/api/bookings"), b => (string?)b!["date"] == Iso(day));

        await card.Locator("input[name=headcount]").FillAsync("25");
        await card.Locator("button[type=submit]").ClickAsync();
        await Assertions.Expect(card.Locator(".route-outcome > p.ok")).ToHaveTextAsync(booked);
        await Assertions.Expect(card.Locator(".route-result .badge.confirmed")).ToHaveCountAsync(2);
        await ScreenshotAsync(page, $"unit-routes-{language}");
        var made = (await GetArrayAsync("unit3", "/api/bookings"))
            .Where(b => (string?)b!["date"] == Iso(day) && (string?)b["status"] == "confirmed").ToList();
        Assert.Equal(stops.Order(), made.Select(b => (string)b!["venueId"]!).Order());
        Assert.All(made, b => Assert.Equal(25, (int?)b!["headcount"]));
    }

    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Bookings_AdministratorActingForAUnit_ListsThatUnitsBookings()
    {
        var venue = "heishan-memorial";
        var id = (string)(await BookThroughApiAsync("unit2", venue, OpenDay(venue, 6), "15:00", 17))["id"]!;
        await using var browser = await web.LaunchAsync();
        var page = await SignedInAsync(browser, "en", "admin", "#/bookings", landing: "/admin/");

        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("first enter above the unit you act for");
        await page.Locator("#acting-unit").FillAsync("unit2");
        await page.Locator("#acting button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator($"#booking-list tr[data-booking='{id}']").Locator("td.num").First).ToHaveTextAsync("17");
    }

    /// <summary>Today in China on the server's business clock.</summary>
    private DateOnly Today => DateOnly.FromDateTime(web.Clock.Now.ToOffset(TimeSpan.FromHours(8)).DateTime);

    /// <summary>The first day at least <paramref name="daysAhead"/> days from the business clock's today on which the venue is open.</summary>
    private DateOnly OpenDay(string venueId, int daysAhead)
    {
        var venue = TestVenues.Seed(venueId);
        var date = Today.AddDays(daysAhead);
        while (!venue.IsOpenOn(date))
        {
            date = date.AddDays(1);
        }
        return date;
    }

    /// <summary>
    /// A page signed in as <paramref name="user"/> (who lands on <paramref name="landing"/>) at /unit/{hash}, its clock
    /// set to the server's business clock so that both agree on today.
    /// </summary>
    private async Task<IPage> SignedInAsync(IBrowser browser, string language, string user, string hash = "", string landing = "/unit/")
    {
        var page = await web.NewPageAsync(browser, language);
        await page.Clock.SetFixedTimeAsync(web.Clock.Now.UtcDateTime);
        await WebServer.SignInAsync(page, user, landing);
        if (hash.Length > 0 || landing != "/unit/")
        {
            await page.GotoAsync($"/unit/{hash}");
        }
        await Assertions.Expect(page.Locator("main#main")).Not.ToHaveAttributeAsync("aria-busy", "true");
        return page;
    }

    /// <summary>The calendar under <paramref name="scope"/> turned to the month of <paramref name="day"/>, and that day in it.</summary>
    private static async Task<ILocator> DayCellAsync(IPage page, string scope, DateOnly day)
    {
        var cell = page.Locator($"{scope} [data-date='{Iso(day)}']");
        while (await cell.CountAsync() == 0)
        {
            var shown = await page.Locator($"{scope} [data-date]").First.GetAttributeAsync("data-date");
            var navigation = page.Locator($"{scope} .cal-nav");
            await (string.CompareOrdinal(shown, Iso(day)) < 0 ? navigation.Last : navigation.First).ClickAsync();
        }
        return cell;
    }

    /// <summary>Clicks <paramref name="day"/> in the calendar under <paramref name="scope"/>, then the slot.</summary>
    private static async Task PickSlotAsync(IPage page, string scope, DateOnly day, string slot)
    {
        await (await DayCellAsync(page, scope, day)).ClickAsync();
        await page.Locator($"{scope} .slots tr[data-slot='{slot}'] button").ClickAsync();
    }

    /// <summary>A screenshot of the page without the passing notices, which would cover what the view shows.</summary>
    private static async Task ScreenshotAsync(IPage page, string name)
    {
        await page.EvaluateAsync("() => document.getElementById('toasts')?.replaceChildren()");
        await WebServer.ScreenshotAsync(page, name);
    }

    private static async Task FillBookingFormAsync(IPage page, int headcount, string contactName, string contactPhone)
    {
        await page.Locator("#headcount").FillAsync(headcount.ToString(CultureInfo.InvariantCulture));
        await page.Locator("#contact-name").FillAsync(contactName);
        await page.Locator("#contact-phone").FillAsync(contactPhone);
    }

    private static async Task<string> BookingIdFromUrlAsync(IPage page)
    {
        try
        {
            await page.WaitForURLAsync("**/unit/#/bookings/*");
        }
        catch (TimeoutException e)
        {
            // Seen once in a full run and never alone: say what the page showed, so that the next failure explains itself.
            var state = await page.EvaluateAsync<string>(
                "() => JSON.stringify({ url: location.href, message: document.querySelector('#book-message')?.innerText, " +
                "headcount: document.querySelector('#headcount')?.value, valid: document.querySelector('#book-submit')?.form?.checkValidity() })");
            throw new InvalidOperationException($"the booking page did not move on to the booking: {state}", e);
        }
        return Uri.UnescapeDataString(page.Url[(page.Url.IndexOf("#/bookings/", StringComparison.Ordinal) + "#/bookings/".Length)..]);
    }

    private static async Task AssertQrShownAsync(IPage page)
    {
        var qr = page.Locator("#ticket-qr");
        await Assertions.Expect(qr).ToBeVisibleAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('#ticket-qr'); return i && i.complete && i.naturalWidth > 0; }");
        Assert.True(await qr.EvaluateAsync<int>("i => i.naturalWidth") > 0);
    }

    private async Task<JsonObject> GetAsync(string user, string path)
    {
        using var client = await web.Server.ClientForAsync(user);
        return Assert.IsType<JsonObject>(await client.GetFromJsonAsync<JsonNode>(path, Ct));
    }

    private async Task<JsonArray> GetArrayAsync(string user, string path)
    {
        using var client = await web.Server.ClientForAsync(user);
        return Assert.IsType<JsonArray>(await client.GetFromJsonAsync<JsonNode>(path, Ct));
    }

    private async Task<JsonObject> BookThroughApiAsync(string user, string venueId, DateOnly day, string slot, int headcount)
    {
        using var client = await web.Server.ClientForAsync(user);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings")
        {
            Content = JsonContent.Create(new
            {
                venueId, date = Iso(day), slot, headcount, contactName = "王老师", contactPhone = "024 8888 6666",
            }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return Assert.IsType<JsonObject>(await response.Content.ReadFromJsonAsync<JsonNode>(Ct));
    }

    private async Task<string> SaveRouteAsync(string name, string[] venueIds)
    {
        using var client = await web.Server.ClientForAsync("planner");
        using var response = await client.PostAsJsonAsync("/api/routes", new { name, venueIds, notes = "先塔山，后配水池。", sharedWithUnits = true }, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>(Ct))!["id"]!;
    }
}

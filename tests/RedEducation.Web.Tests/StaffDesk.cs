using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using RedEducation.Testing;
using StbImageSharp;

namespace RedEducation.Web.Tests;

/// <summary>A group booked through the API, with the code its ticket carries.</summary>
public sealed record BookedGroup(string Id, string Code, DateOnly Date, string Slot, int Headcount, string Unit);

/// <summary>
/// The staff page's test bench at the Liaoshen Campaign Memorial Hall: groups booked through the API on days in the past
/// (so the browser's clock, set to the visit, stays before the sign-in token expires), the business clock and the
/// browser's clock moved to the visit, desks signed in, the server's own figures, and the ticket's QR as a camera video.
/// </summary>
public static class StaffDesk
{
    public const string VenueId = "liaoshen-memorial";
    public const string StaffA = "staff-liaoshen-memorial";
    public const string StaffB = "staff-liaoshen-memorial-b";
    public const string Slot = "10:00";

    /// <summary>Ten minutes after the slot starts: inside the check-in window (60 minutes before to 120 after the end).</summary>
    private static readonly TimeOnly VisitTime = new(10, 10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>An open day of the venue at least <paramref name="daysBack"/> days before today; each test takes its own.</summary>
    public static DateOnly OpenDayBefore(int daysBack)
    {
        var venue = TestVenues.Seed(VenueId);
        var date = TestDates.Today.AddDays(-daysBack);
        while (!venue.IsOpenOn(date))
        {
            date = date.AddDays(-1);
        }
        return date;
    }

    public static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>Books a group for a slot (10:00 unless told) of <paramref name="date"/> as <paramref name="unit"/>, ten days ahead by the business clock.</summary>
    public static async Task<BookedGroup> BookAsync(WebServer web, string unit, DateOnly date, int headcount, string slot = Slot, string venueId = VenueId)
    {
        web.Clock.SetLocal(date.AddDays(-10), new TimeOnly(9, 0));
        using var client = await web.Server.ClientForAsync(unit);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings")
        {
            Content = JsonContent.Create(new
            {
                venueId, date = Text(date), slot, headcount, contactName = "李老师", contactPhone = "13800000000",
            }),
        };
        request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        using var response = await client.SendAsync(request, Ct);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var booking = Assert.IsType<JsonObject>(await response.Content.ReadFromJsonAsync<JsonNode>(Ct));
        Assert.Equal("confirmed", (string?)booking["status"]);
        return new BookedGroup((string)booking["id"]!, (string)booking["ticket"]!["code"]!, date, slot, headcount, unit);
    }

    /// <summary>Changes the group's headcount, which issues a new ticket and revokes the code <paramref name="group"/> holds.</summary>
    public static async Task ResizeAsync(WebServer web, BookedGroup group, int headcount)
    {
        web.Clock.SetLocal(group.Date.AddDays(-9), new TimeOnly(9, 0));
        using var client = await web.Server.ClientForAsync(group.Unit);
        using var response = await client.PatchAsJsonAsync($"/api/bookings/{group.Id}", new { headcount }, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task CancelAsync(WebServer web, BookedGroup group)
    {
        web.Clock.SetLocal(group.Date.AddDays(-9), new TimeOnly(9, 0));
        using var client = await web.Server.ClientForAsync(group.Unit);
        using var response = await client.PostAsync($"/api/bookings/{group.Id}/cancel", null, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    public static async Task<byte[]> TicketPngAsync(WebServer web, BookedGroup group)
    {
        using var client = await web.Server.ClientForAsync(group.Unit);
        return await client.GetByteArrayAsync($"/api/bookings/{group.Id}/ticket.png", Ct);
    }

    /// <summary>The instant at the venue when a desk admits the group: inside the check-in window of the 10:00 slot.</summary>
    public static DateTimeOffset VisitInstant(DateOnly date) => new(date.ToDateTime(VisitTime), TimeSpan.FromHours(8));

    /// <summary>
    /// A desk of <paramref name="staff"/> on the visit: the server's business clock and the browser's clock at the visit,
    /// signed in through the sign-in page, the day's manifest loaded (the group on the expected list).
    /// </summary>
    public static async Task<IPage> OpenDeskAsync(WebServer web, IBrowser browser, string staff, string language, BookedGroup group, ViewportSize? viewport = null)
    {
        var visit = VisitInstant(group.Date);
        web.Clock.Now = visit;
        var page = await web.NewPageAsync(browser, language, viewport is null ? null : new BrowserNewContextOptions { ViewportSize = viewport });
        // Date.now() in the page reads the visit; timers keep running, so the page still refreshes and syncs.
        await page.Clock.SetFixedTimeAsync(visit.UtcDateTime);
        await WebServer.SignInAsync(page, staff, "/staff/");
        await Assertions.Expect(ExpectedRow(page, group)).ToBeVisibleAsync();
        return page;
    }

    public static ILocator ExpectedRow(IPage page, BookedGroup group) => page.Locator($"#expected-body tr[data-booking='{group.Id}']");

    /// <summary>Types a code into the code field and checks it, as staff do with a ticket the camera cannot read.</summary>
    public static async Task CheckTypedAsync(IPage page, string code)
    {
        await page.Locator("#code").FillAsync(code);
        await page.Locator("#check").ClickAsync();
    }

    /// <summary>
    /// Saves the page as docs/screenshots/staff-{view}-zh-CN.png, switches it to English with the top bar's button, waits
    /// until <paramref name="sample"/> reads <paramref name="english"/> (the page redrew its data), saves staff-{view}-en.png
    /// and switches back to Chinese.
    /// </summary>
    public static async Task ScreenshotInBothLanguagesAsync(IPage page, string view, ILocator sample, string english)
    {
        await WebServer.ScreenshotAsync(page, $"staff-{view}-zh-CN");
        await page.Locator("#language").ClickAsync();
        await Assertions.Expect(sample).ToHaveTextAsync(english);
        await WebServer.ScreenshotAsync(page, $"staff-{view}-en");
        await page.Locator("#language").ClickAsync();
        await Assertions.Expect(page.Locator("#language")).ToHaveTextAsync("English");
    }

    /// <summary>The server's figures for the 10:00 slot of the group's day (GET …/occupancy).</summary>
    public static async Task<JsonObject> OccupancyAsync(WebServer web, BookedGroup group)
    {
        using var client = await web.Server.ClientForAsync(StaffA);
        var occupancy = Assert.IsType<JsonObject>(await client.GetFromJsonAsync<JsonNode>($"/api/venues/{VenueId}/occupancy?date={Text(group.Date)}", Ct));
        return occupancy["slots"]!.AsArray().OfType<JsonObject>().Single(s => (string?)s["start"] == Slot);
    }

    /// <summary>The server's log of the day's scans (GET …/checkins).</summary>
    public static async Task<JsonArray> LogAsync(WebServer web, BookedGroup group)
    {
        using var client = await web.Server.ClientForAsync(StaffA);
        return Assert.IsType<JsonArray>(await client.GetFromJsonAsync<JsonNode>($"/api/venues/{VenueId}/checkins?date={Text(group.Date)}", Ct));
    }

    /// <summary>The code with one character changed, as a forger who edits the headcount or the date would leave it.</summary>
    public static string Forge(string code)
    {
        // Character 43 holds bits 215-219 of the code: the headcount field of the signed payload.
        const int At = 43;
        var changed = code[At] == 'A' ? 'B' : 'A';
        return string.Concat(code.AsSpan(0, At), changed.ToString(), code.AsSpan(At + 1));
    }

    /// <summary>
    /// Writes the ticket's QR image as a YUV4MPEG2 video that Chromium's fake camera plays in a loop: the PNG in grey,
    /// centred on white with a margin, the luma in the Y plane, U and V at 128 (no colour), sizes even as 4:2:0 needs.
    /// </summary>
    public static async Task WriteTicketVideoAsync(byte[] png, string path)
    {
        var image = ImageResult.FromMemory(png, ColorComponents.Grey);
        var width = Even(Math.Max(640, image.Width + 80));
        var height = Even(Math.Max(480, image.Height + 80));
        var luma = new byte[width * height];
        Array.Fill(luma, (byte)255);
        var (left, top) = ((width - image.Width) / 2, (height - image.Height) / 2);
        for (var y = 0; y < image.Height; y++)
        {
            Array.Copy(image.Data, y * image.Width, luma, (top + y) * width + left, image.Width);
        }
        var chroma = new byte[width / 2 * (height / 2)];
        Array.Fill(chroma, (byte)128);
        await using var file = File.Create(path);
        await file.WriteAsync(Encoding.ASCII.GetBytes($"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n"), Ct);
        const int Frames = 10;
        for (var frame = 0; frame < Frames; frame++)
        {
            await file.WriteAsync("FRAME\n"u8.ToArray(), Ct);
            await file.WriteAsync(luma, Ct);
            await file.WriteAsync(chroma, Ct);
            await file.WriteAsync(chroma, Ct);
        }
    }

    private static int Even(int n) => n + (n & 1);
}

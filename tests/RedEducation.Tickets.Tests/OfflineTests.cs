using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using RedEducation.Domain.Tickets;

namespace RedEducation.Tickets.Tests;

public sealed class OfflineTests(TicketServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private string Day => server.VisitDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public async Task Manifest_GivesPublicKeysAndExpectedGroups_CodesVerifyWithoutTheServer()
    {
        var booking = await server.BookAsync(18);
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        var manifest = (await staff.GetFromJsonAsync<JsonObject>($"/api/venues/{TicketServer.Venue}/manifest?date={Day}", Ct))!;

        var keys = manifest["keys"]!.AsArray().ToDictionary(k => (ushort)k!["keyId"]!.GetValue<int>(), k => Convert.FromBase64String(k!["publicKey"]!.GetValue<string>()));
        Assert.All(keys.Values, k => Assert.Equal(32, k.Length)); // public keys only: a private Ed25519 blob is longer
        var (status, claims, _) = TicketCode.Verify(Desk.Code(booking), id =>
            keys.TryGetValue(id, out var raw) ? PublicKey.Import(TicketCode.Algorithm, raw, KeyBlobFormat.RawPublicKey) : null);
        Assert.Equal(TicketCodeStatus.Valid, status);
        Assert.Equal(manifest["venueTag"]!.GetValue<uint>(), claims!.VenueTag);
        var group = manifest["expected"]!.AsArray().Single(e => e!["bookingId"]!.GetValue<string>() == Desk.Id(booking))!;
        Assert.Equal(18, group["headcount"]!.GetValue<int>());
        Assert.Equal(claims.Serial, group["ticketSerial"]!.GetValue<int>());
        Assert.Equal("10:00", group["slot"]!.GetValue<string>());
        // The desk sees the unit by the name its account gives, as well as by its id.
        Assert.Equal("unit1", group["unitId"]!.GetValue<string>());
        Assert.StartsWith("沈阳市公安局皇姑分局", group["unitName"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_AfterResizeAndCancel_ListsRevokedAndCancelled()
    {
        var resizedBooking = await server.BookAsync(10);
        var cancelledBooking = await server.BookAsync(10);
        var unit = await server.SignInAsync("unit1");
        (await unit.PatchAsJsonAsync($"/api/bookings/{Desk.Id(resizedBooking)}", new { headcount = 12 }, Ct)).EnsureSuccessStatusCode();
        (await unit.PostAsync(new Uri($"/api/bookings/{Desk.Id(cancelledBooking)}/cancel", UriKind.Relative), null, Ct)).EnsureSuccessStatusCode();
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        var manifest = (await staff.GetFromJsonAsync<JsonObject>($"/api/venues/{TicketServer.Venue}/manifest?date={Day}", Ct))!;

        var revoked = manifest["revoked"]!.AsArray().Single(r => r!["bookingId"]!.GetValue<string>() == Desk.Id(resizedBooking))!;
        Assert.Equal(1, revoked["validSerial"]!.GetValue<int>());
        Assert.Contains(Desk.Id(cancelledBooking), manifest["cancelled"]!.AsArray().Select(c => c!.GetValue<string>()));
        Assert.DoesNotContain(manifest["expected"]!.AsArray(), e => e!["bookingId"]!.GetValue<string>() == Desk.Id(cancelledBooking));
    }

    [Fact]
    public async Task Sync_TwoOfflineDesksAdmitTheSameGroup_BothKeptAndTheExcessFlaggedForced()
    {
        var booking = await server.BookAsync(30);
        server.AtVisit(10, 40);
        var deskA = await server.SignInAsync("staff-liaoshen-memorial");
        var deskB = await server.SignInAsync("staff-liaoshen-memorial-b");
        var scannedAt = server.Clock.Now.AddMinutes(-30);
        object Scan(string nonce, int admit) => new { code = Desk.Code(booking), admit, nonce, scannedAt };

        var fromA = await (await deskA.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins/sync", new[] { Scan("a-1", 20) }, Ct)).Content.ReadFromJsonAsync<JsonArray>(Ct);
        var fromB = await (await deskB.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins/sync", new[] { Scan("b-1", 20) }, Ct)).Content.ReadFromJsonAsync<JsonArray>(Ct);
        var again = await (await deskB.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins/sync", new[] { Scan("b-1", 20), Scan("a-1", 20) }, Ct)).Content.ReadFromJsonAsync<JsonArray>(Ct);

        Assert.Equal("admitted", fromA![0]!["outcome"]!.GetValue<string>());
        Assert.False(fromA[0]!["forcedNow"]!.GetValue<bool>());
        Assert.Equal("admitted", fromB![0]!["outcome"]!.GetValue<string>());
        Assert.True(fromB[0]!["forcedNow"]!.GetValue<bool>());
        Assert.Equal(40, fromB[0]!["arrived"]!.GetValue<int>());
        Assert.Equal(10, fromB[0]!["forced"]!.GetValue<int>());
        Assert.All(again!, r => Assert.Equal("duplicate", r!["outcome"]!.GetValue<string>()));
        Assert.Equal(40, again![1]!["arrived"]!.GetValue<int>());
        var log = await deskA.GetFromJsonAsync<JsonArray>($"/api/venues/{TicketServer.Venue}/checkins?date={Day}", Ct);
        var mine = log!.Where(e => e!["bookingId"]?.GetValue<string>() == Desk.Id(booking) && e["outcome"]!.GetValue<string>() == "admitted").ToList();
        Assert.Equal(2, mine.Count);
        Assert.Single(mine, e => e!["forced"]!.GetValue<bool>());
        Assert.All(mine, e => Assert.Equal(scannedAt, e!["scannedAt"]!.GetValue<DateTimeOffset>()));
    }

    [Fact]
    public async Task Sync_ForgedOrLateScans_RefusedItemByItemWithoutLosingTheGoodOnes()
    {
        var booking = await server.BookAsync(10);
        server.AtVisit(10, 30);
        var staff = await server.SignInAsync("staff-liaoshen-memorial");
        var now = server.Clock.Now;
        var forged = Desk.Code(booking)[..^4] + "AAAA";

        var invalid = await staff.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins/sync", new object[]
        {
            new { code = Desk.Code(booking), admit = 3, nonce = "ok-1", scannedAt = now.AddMinutes(-5) },
            new { code = forged, admit = 3, nonce = "forged-1", scannedAt = now.AddMinutes(-4) },
            new { code = Desk.Code(booking), admit = 3, nonce = "late-1", scannedAt = now.AddHours(4) },
        }, Ct);

        // A scan claiming a future time makes the whole upload invalid, and nothing of it is applied.
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        var retry = await (await staff.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins/sync", new object[]
        {
            new { code = Desk.Code(booking), admit = 3, nonce = "ok-1", scannedAt = now.AddMinutes(-5) },
            new { code = forged, admit = 3, nonce = "forged-1", scannedAt = now.AddMinutes(-4) },
            new { code = Desk.Code(booking), admit = 3, nonce = "early-1", scannedAt = now.AddHours(-3) },
        }, Ct)).Content.ReadFromJsonAsync<JsonArray>(Ct);

        Assert.Equal(["admitted", "invalid-code", "outside-window"], retry!.Select(r => r!["outcome"]!.GetValue<string>()));
        Assert.Equal(3, retry![0]!["arrived"]!.GetValue<int>());
    }

    [Fact]
    public async Task OccupancyAndCsv_ShowBookedAgainstArrived()
    {
        var booking = await server.BookAsync(24, slot: "13:00");
        server.AtVisit(13, 10);
        var staff = await server.SignInAsync("staff-liaoshen-memorial");
        await Desk.ScanAsync(staff, Desk.Code(booking), 20);

        var occupancy = await staff.GetFromJsonAsync<JsonObject>($"/api/venues/{TicketServer.Venue}/occupancy?date={Day}", Ct);
        var bytes = await staff.GetByteArrayAsync(new Uri($"/api/venues/{TicketServer.Venue}/checkins.csv?date={Day}", UriKind.Relative), Ct);
        var csv = System.Text.Encoding.UTF8.GetString(bytes);

        var slot = occupancy!["slots"]!.AsArray().Single(s => s!["start"]!.GetValue<string>() == "13:00")!;
        Assert.True(slot["booked"]!.GetValue<int>() >= 24);
        Assert.True(slot["arrived"]!.GetValue<int>() >= 20);
        var row = csv.Split("\r\n").Single(l => l.Contains(Desk.Id(booking), StringComparison.Ordinal));
        Assert.StartsWith("13:00,", row, StringComparison.Ordinal);
        Assert.Contains(",unit1,\"沈阳市公安局皇姑分局 Shenyang Public Security Bureau, Huanggu Branch\",confirmed,24,20,4,0,王老师,13912345678", row, StringComparison.Ordinal);
        // A byte-order mark first, so that spreadsheet programs on Chinese Windows read the names as UTF-8.
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.StartsWith("slot,booking_id", csv.TrimStart('\uFEFF'), StringComparison.Ordinal);
    }
}

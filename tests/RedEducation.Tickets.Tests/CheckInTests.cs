using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Tickets.Tests;

public sealed class CheckInTests(TicketServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CheckIn_PartOfTheGroupThenTheRest_AdmitsUpToTheHeadcount()
    {
        var booking = await server.BookAsync(30);
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        var (status, first) = await Desk.ScanAsync(staff, Desk.Code(booking), 27);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(27, first["admitted"]!.GetValue<int>());
        Assert.Equal(3, first["remaining"]!.GetValue<int>());

        var (tooMany, refused) = await Desk.ScanAsync(staff, Desk.Code(booking), 5);
        Assert.Equal(HttpStatusCode.Conflict, tooMany);
        Assert.EndsWith("/over-headcount", Desk.ProblemType(refused));

        var (_, rest) = await Desk.ScanAsync(staff, Desk.Code(booking), admit: null);
        Assert.Equal(3, rest["admitted"]!.GetValue<int>());
        Assert.Equal(30, rest["arrived"]!.GetValue<int>());
        Assert.Equal(0, rest["remaining"]!.GetValue<int>());

        var (nobodyLeft, _) = await Desk.ScanAsync(staff, Desk.Code(booking), 1);
        Assert.Equal(HttpStatusCode.Conflict, nobodyLeft);
    }

    [Fact]
    public async Task CheckIn_SameNonceTwice_AdmitsOnce()
    {
        var booking = await server.BookAsync(10);
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        var (_, first) = await Desk.ScanAsync(staff, Desk.Code(booking), 4, nonce: "scan-1");
        var (status, again) = await Desk.ScanAsync(staff, Desk.Code(booking), 4, nonce: "scan-1");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(again["duplicate"]!.GetValue<bool>());
        Assert.Equal(4, first["arrived"]!.GetValue<int>());
        Assert.Equal(4, again["arrived"]!.GetValue<int>());
    }

    [Fact]
    public async Task CheckIn_TwoDesksScanOneGroupAtOnce_NeverAdmitMoreThanTheHeadcount()
    {
        var booking = await server.BookAsync(30);
        server.AtVisit();
        var deskA = await server.SignInAsync("staff-liaoshen-memorial");
        var deskB = await server.SignInAsync("staff-liaoshen-memorial-b");

        var scans = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Desk.ScanAsync(i % 2 == 0 ? deskA : deskB, Desk.Code(booking), 1)));

        Assert.Equal(30, scans.Count(s => s.Status == HttpStatusCode.OK));
        Assert.Equal(10, scans.Count(s => s.Status == HttpStatusCode.Conflict));
        Assert.Equal(30, scans.Where(s => s.Status == HttpStatusCode.OK).Max(s => s.Body["arrived"]!.GetValue<int>()));
        var occupancy = await deskA.GetFromJsonAsync<JsonObject>($"/api/venues/{TicketServer.Venue}/occupancy?date={server.VisitDay:yyyy-MM-dd}", Ct);
        var slot = occupancy!["slots"]!.AsArray().Single(s => s!["start"]!.GetValue<string>() == "10:00")!;
        Assert.True(slot["arrived"]!.GetValue<int>() >= 30);
        Assert.True(slot["arrived"]!.GetValue<int>() <= slot["booked"]!.GetValue<int>());
    }

    [Fact]
    public async Task CheckIn_AfterResize_OldCodeRevokedNewCodeAdmits()
    {
        var booking = await server.BookAsync(20);
        var unit = await server.SignInAsync("unit1");
        var resized = await TicketServer.JsonAsync(await unit.PatchAsJsonAsync($"/api/bookings/{Desk.Id(booking)}", new { headcount = 25 }, Ct));
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        var (oldStatus, old) = await Desk.ScanAsync(staff, Desk.Code(booking), 1);
        var (newStatus, fresh) = await Desk.ScanAsync(staff, Desk.Code(resized), 25);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, oldStatus);
        Assert.EndsWith("/revoked", Desk.ProblemType(old));
        Assert.Equal(HttpStatusCode.OK, newStatus);
        Assert.Equal(25, fresh["arrived"]!.GetValue<int>());
    }

    [Fact]
    public async Task CheckIn_CodeScannedThenBookingResized_OldCodeRevoked()
    {
        var booking = await server.BookAsync(20);
        var unit = await server.SignInAsync("unit1");
        var staff = await server.SignInAsync("staff-liaoshen-memorial");
        server.AtVisit();
        var (firstStatus, _) = await Desk.ScanAsync(staff, Desk.Code(booking), 1);
        server.Clock.SetLocal(server.BookingDay, new TimeOnly(10, 0));
        (await unit.PatchAsJsonAsync($"/api/bookings/{Desk.Id(booking)}", new { headcount = 25 }, Ct)).EnsureSuccessStatusCode();
        server.AtVisit();

        var (againStatus, again) = await Desk.ScanAsync(staff, Desk.Code(booking), 1);

        Assert.Equal(HttpStatusCode.OK, firstStatus);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, againStatus);
        Assert.EndsWith("/revoked", Desk.ProblemType(again));
    }

    [Fact]
    public async Task CheckIn_CancelledBooking_RefusedAsCancelled()
    {
        var booking = await server.BookAsync(12);
        var unit = await server.SignInAsync("unit1");
        (await unit.PostAsync(new Uri($"/api/bookings/{Desk.Id(booking)}/cancel", UriKind.Relative), null, Ct)).EnsureSuccessStatusCode();
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        var (status, body) = await Desk.ScanAsync(staff, Desk.Code(booking), 1);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.EndsWith("/cancelled", Desk.ProblemType(body));
    }

    [Theory]
    [InlineData(-1, 10, 5, "wrong-date")]
    [InlineData(1, 10, 5, "wrong-date")]
    [InlineData(0, 8, 30, "outside-window")]
    [InlineData(0, 15, 0, "outside-window")]
    public async Task CheckIn_WrongDayOrTime_RefusedWithItsType(int dayOffset, int hour, int minute, string type)
    {
        var booking = await server.BookAsync(10);
        server.Clock.SetLocal(server.VisitDay.AddDays(dayOffset), new TimeOnly(hour, minute));
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        var (status, body) = await Desk.ScanAsync(staff, Desk.Code(booking), 1);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.EndsWith($"/{type}", Desk.ProblemType(body));
    }

    [Fact]
    public async Task CheckIn_StaffOfAnotherVenueOrAUnit_Forbidden()
    {
        var booking = await server.BookAsync(10);
        server.AtVisit();
        var otherStaff = await server.SignInAsync("staff-dandong-kmyc-memorial");
        var unit = await server.SignInAsync("unit1");

        var (staffStatus, _) = await Desk.ScanAsync(otherStaff, Desk.Code(booking), 1);
        var (unitStatus, _) = await Desk.ScanAsync(unit, Desk.Code(booking), 1);
        var anonymous = await server.Anonymous.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins", new { code = Desk.Code(booking), admit = 1 }, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, staffStatus);
        Assert.Equal(HttpStatusCode.Forbidden, unitStatus);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task CheckIn_TicketOfAnotherVenueScannedHere_RefusedAsWrongVenue()
    {
        var booking = await server.BookAsync(10, venue: TicketServer.OtherVenue);
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        var (status, body) = await Desk.ScanAsync(staff, Desk.Code(booking), 1);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.EndsWith("/wrong-venue", Desk.ProblemType(body));
    }

    [Fact]
    public async Task CheckInLog_RecordsDeskStaffAndBothTimes()
    {
        var booking = await server.BookAsync(10);
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial-b");
        var scannedAt = server.Clock.Now.AddSeconds(-30);
        await staff.PostAsJsonAsync($"/api/venues/{TicketServer.Venue}/checkins", new { code = Desk.Code(booking), admit = 2, desk = "east-gate", scannedAt }, Ct);

        var log = await staff.GetFromJsonAsync<JsonArray>($"/api/venues/{TicketServer.Venue}/checkins?date={server.VisitDay:yyyy-MM-dd}", Ct);

        var entry = log!.Last(e => e!["bookingId"]?.GetValue<string>() == Desk.Id(booking))!;
        Assert.Equal("east-gate", entry["desk"]!.GetValue<string>());
        Assert.Equal("staff-liaoshen-memorial-b", entry["staff"]!.GetValue<string>());
        Assert.Equal("admitted", entry["outcome"]!.GetValue<string>());
        Assert.Equal(scannedAt, entry["scannedAt"]!.GetValue<DateTimeOffset>());
        Assert.Equal(server.Clock.Now, entry["receivedAt"]!.GetValue<DateTimeOffset>());
    }
}

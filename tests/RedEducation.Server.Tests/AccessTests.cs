using System.Net;
using System.Text.Json.Nodes;
using RedEducation.Server.Tests.Infrastructure;
using static RedEducation.Server.Tests.BookingLifecycleTests;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>Who may do what: a unit only with its own bookings, nobody anonymously, only an administrator with venues.</summary>
public sealed class AccessTests(SharedServer server)
{
    [Fact]
    public async Task OtherUnit_ReadsResizesCancelsOrMovesABooking_Gets404AndNothingChanges()
    {
        using var owner = await server.ClientForAsync("unit1");
        using var intruder = await server.ClientForAsync("unit2");
        var day = server.NextDay();
        var target = server.NextDay(day.VenueId);
        var booking = await owner.BookAsync(BookingBody(day, headcount: 12));

        await intruder.GetAsync($"/api/bookings/{booking.Str("id")}", Ct).ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
        await Resize(intruder, booking, 50).ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
        await Cancel(intruder, booking).ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
        await Reschedule(intruder, booking, target, target.FirstSlot).ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");

        var kept = await owner.GetBookingAsync(booking.Str("id"));
        Assert.Equal("confirmed", kept.Str("status"));
        Assert.Equal(12, kept.Int("headcount"));
        Assert.Equal(day.DateText, kept.Str("date"));
        Assert.Equal(day.Venue.Limits.SlotCapacity - 12, (await owner.SlotAsync(day)).Int("remaining"));
        Assert.Equal(target.Venue.Limits.SlotCapacity, (await owner.SlotAsync(target)).Int("remaining"));
        Assert.DoesNotContain(await intruder.GetArrayAsync("/api/bookings"), b => b.Str("id") == booking.Str("id"));
    }

    [Fact]
    public async Task OtherUnit_ReplaysTheOwnersIdempotencyKey_GetsItsOwnBookingNotTheOwners()
    {
        using var owner = await server.ClientForAsync("unit1");
        using var intruder = await server.ClientForAsync("unit3");
        var day = server.NextDay();
        var key = NewKey();
        var body = BookingBody(day, headcount: 10);
        var mine = await owner.PostBookingAsync(body, key).OkAsync(HttpStatusCode.Created);

        var theirs = await intruder.PostBookingAsync(body, key).OkAsync(HttpStatusCode.Created);

        Assert.NotEqual(mine.Str("id"), theirs.Str("id"));
        Assert.Equal("unit3", theirs.Str("unitId"));
        Assert.Equal("unit1", (await owner.GetBookingAsync(mine.Str("id"))).Str("unitId"));
    }

    [Fact]
    public async Task Admin_ReadsAndCancelsAnyUnitsBooking()
    {
        using var unit = await server.ClientForAsync("unit2");
        using var admin = await server.ClientForAsync("admin");
        var day = server.NextDay();
        var booking = await unit.BookAsync(BookingBody(day, headcount: 10));

        Assert.Equal("unit2", (await admin.GetBookingAsync(booking.Str("id"))).Str("unitId"));
        Assert.Equal("cancelled", (await Cancel(admin, booking).OkAsync()).Str("status"));

        Assert.Equal("cancelled", (await unit.GetBookingAsync(booking.Str("id"))).Str("status"));
    }

    [Theory]
    [InlineData("planner")]
    [InlineData("staff-liaoshen-memorial")]
    public async Task PlannerOrStaff_TouchesABooking_Gets403AndNothingChanges(string user)
    {
        using var owner = await server.ClientForAsync("unit1");
        using var client = await server.ClientForAsync(user);
        var day = server.NextDay("liaoshen-memorial");
        var booking = await owner.BookAsync(BookingBody(day, headcount: 10));

        await client.GetAsync($"/api/bookings/{booking.Str("id")}", Ct).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await Resize(client, booking, 20).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await Cancel(client, booking).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal("confirmed", (await owner.GetBookingAsync(booking.Str("id"))).Str("status"));
        Assert.Equal(10, (await owner.GetBookingAsync(booking.Str("id"))).Int("headcount"));
    }

    [Theory]
    [InlineData("POST", "/api/bookings")]
    [InlineData("GET", "/api/bookings")]
    [InlineData("GET", "/api/bookings?unitId=unit1")]
    [InlineData("GET", "/api/bookings/bkaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("PATCH", "/api/bookings/bkaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("POST", "/api/bookings/bkaaaaaaaaaaaaaaaaaaaa/cancel")]
    [InlineData("POST", "/api/bookings/bkaaaaaaaaaaaaaaaaaaaa/reschedule")]
    [InlineData("PATCH", "/api/venues/liaoshen-memorial")]
    [InlineData("PATCH", "/api/venues/no-such-venue")]
    public async Task Anonymous_AnyBookingRouteOrVenueChange_Gets401Unauthorized(string method, string path)
    {
        using var client = server.Anonymous();

        await client.SendJsonAsync(new HttpMethod(method), path, new JsonObject { ["headcount"] = 10 }).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Anonymous_CancelsARealBooking_Gets401AndTheBookingStays()
    {
        using var owner = await server.ClientForAsync("unit3");
        using var anonymous = server.Anonymous();
        var booking = await owner.BookAsync(BookingBody(server.NextDay(), headcount: 10));

        await Cancel(anonymous, booking).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await Resize(anonymous, booking, 30).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        var kept = await owner.GetBookingAsync(booking.Str("id"));
        Assert.Equal("confirmed", kept.Str("status"));
        Assert.Equal(10, kept.Int("headcount"));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Testing;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>Reading, resizing, cancelling and moving bookings.</summary>
public sealed class BookingLifecycleTests(SharedServer server)
{
    [Fact]
    public async Task GetBooking_Own_ReturnsItAsBooked()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();
        var booked = await unit.BookAsync(BookingBody(day, headcount: 9, slot: day.Slot(2)));

        var booking = await unit.GetBookingAsync(booked.Str("id"));

        Assert.Equal("confirmed", booking.Str("status"));
        Assert.Equal(day.VenueId, booking.Str("venueId"));
        Assert.Equal(day.DateText, booking.Str("date"));
        Assert.Equal(day.Slot(2), booking.Str("slot"));
        Assert.Equal(9, booking.Int("headcount"));
        Assert.Equal("unit1", booking.Str("unitId"));
    }

    [Theory]
    [InlineData("bkaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("nonsense")]
    [InlineData("..%2F..%2Fetc%2Fpasswd")]
    [InlineData("%E9%A2%84%E7%BA%A6")]
    public async Task GetBooking_UnknownId_Returns404BookingNotFound(string id)
    {
        using var unit = await server.ClientForAsync("unit1");

        await unit.GetAsync($"/api/bookings/{id}", Ct).ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
    }

    [Fact]
    public async Task GetBooking_VeryLongId_Returns404BookingNotFound()
    {
        using var unit = await server.ClientForAsync("unit1");

        await unit.GetAsync($"/api/bookings/bk{new string('a', 4000)}", Ct).ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
    }

    [Fact]
    public async Task ListBookings_OwnUnit_ListsOnlyItsOwnBookingsInDateOrder()
    {
        using var unit2 = await server.ClientForAsync("unit2");
        using var unit3 = await server.ClientForAsync("unit3");
        var later = await unit2.BookAsync(BookingBody(server.NextDay("heishan-memorial")));
        var earlier = await unit2.BookAsync(BookingBody(server.NextDay("heishan-memorial")));
        var other = await unit3.BookAsync(BookingBody(server.NextDay("heishan-memorial")));

        var mine = await unit2.GetArrayAsync("/api/bookings");
        var explicitUnit = await unit2.GetArrayAsync("/api/bookings?unitId=unit2");

        Assert.All(mine, b => Assert.Equal("unit2", b.Str("unitId")));
        Assert.Contains(mine, b => b.Str("id") == later.Str("id"));
        Assert.Contains(mine, b => b.Str("id") == earlier.Str("id"));
        Assert.DoesNotContain(mine, b => b.Str("id") == other.Str("id"));
        var dates = mine.Select(b => b.Str("date")).ToList();
        Assert.Equal(dates.Order(StringComparer.Ordinal), dates);
        Assert.Equal(mine.Select(b => b.Str("id")).Order(), explicitUnit.Select(b => b.Str("id")).Order());
    }

    [Fact]
    public async Task ListBookings_AnotherUnit_Returns403Forbidden()
    {
        using var unit = await server.ClientForAsync("unit1");

        await unit.GetAsync("/api/bookings?unitId=unit2", Ct).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task ListBookings_AdminWithoutUnit_Returns400ValidationFailed()
    {
        using var admin = await server.ClientForAsync("admin");

        await admin.GetAsync("/api/bookings", Ct).ValidationProblemAsync("unitId");
    }

    [Fact]
    public async Task ListBookings_AdminForAUnit_ListsThatUnitsBookings()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit3 = await server.ClientForAsync("unit3");
        var booking = await unit3.BookAsync(BookingBody(server.NextDay()));

        var list = await admin.GetArrayAsync("/api/bookings?unitId=unit3");

        Assert.Contains(list, b => b.Str("id") == booking.Str("id"));
        Assert.All(list, b => Assert.Equal("unit3", b.Str("unitId")));
    }

    [Theory]
    [InlineData("planner")]
    [InlineData("staff-liaoshen-memorial")]
    public async Task ListBookings_PlannerOrStaff_Returns403Forbidden(string user)
    {
        using var client = await server.ClientForAsync(user);

        await client.GetAsync("/api/bookings?unitId=unit1", Ct).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task PatchBooking_Grow_ChangesHeadcountAndTakesCapacity()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();
        var booking = await unit.BookAsync(BookingBody(day, headcount: 10));

        var resized = await Resize(unit, booking, 30).OkAsync();

        Assert.Equal(30, resized.Int("headcount"));
        Assert.Equal(30, (await unit.GetBookingAsync(booking.Str("id"))).Int("headcount"));
        Assert.Equal(day.Venue.Limits.SlotCapacity - 30, (await unit.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PatchBooking_Shrink_FreesCapacity()
    {
        using var unit = await server.ClientForAsync("unit2");
        var day = server.NextDay();
        var booking = await unit.BookAsync(BookingBody(day, headcount: 40));

        var resized = await Resize(unit, booking, 6).OkAsync();

        Assert.Equal(6, resized.Int("headcount"));
        Assert.Equal("confirmed", resized.Str("status"));
        Assert.Equal(day.Venue.Limits.SlotCapacity - 6, (await unit.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PatchBooking_GrowthThatDoesNotFit_Returns409SlotFullAndKeepsTheBooking()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var day = server.NextDay(SharedServer.SmallVenue);
        await unit1.BookAsync(BookingBody(day, headcount: 30));
        var booking = await unit2.BookAsync(BookingBody(day, headcount: 10));

        await Resize(unit2, booking, 11).ProblemAsync(HttpStatusCode.Conflict, "slot-full");

        Assert.Equal(10, (await unit2.GetBookingAsync(booking.Str("id"))).Int("headcount"));
        Assert.Equal(0, (await unit2.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PatchBooking_ShrinkWhenOthersWait_PromotesTheWaitlist()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var day = server.NextDay(SharedServer.SmallVenue);
        var big = await unit1.BookAsync(BookingBody(day, headcount: 40));
        var waiting = await unit2.BookAsync(BookingBody(day, headcount: 10, waitlist: true), "waitlisted");

        await Resize(unit1, big, 30).OkAsync();

        Assert.Equal("confirmed", (await unit2.GetBookingAsync(waiting.Str("id"))).Str("status"));
        var slot = await unit1.SlotAsync(day);
        Assert.Equal(0, slot.Int("remaining"));
        Assert.Equal(0, slot.Int("waitlisted"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    [InlineData(null)]
    public async Task PatchBooking_InvalidHeadcount_Returns400ValidationFailed(int? headcount)
    {
        using var unit = await server.ClientForAsync("unit1");
        var booking = await unit.BookAsync(BookingBody(server.NextDay(), headcount: 10));

        await unit.SendJsonAsync(HttpMethod.Patch, $"/api/bookings/{booking.Str("id")}", new JsonObject { ["headcount"] = headcount })
            .ValidationProblemAsync("headcount");

        Assert.Equal(10, (await unit.GetBookingAsync(booking.Str("id"))).Int("headcount"));
    }

    [Theory]
    [InlineData("{\"headcount\":\"many\"}")]
    [InlineData("{\"headcount\":")]
    [InlineData("[]")]
    public async Task PatchBooking_MalformedBody_Returns400MalformedRequest(string body)
    {
        using var unit = await server.ClientForAsync("unit1");
        var booking = await unit.BookAsync(BookingBody(server.NextDay(), headcount: 10));

        await unit.SendRawAsync(HttpMethod.Patch, $"/api/bookings/{booking.Str("id")}", body).ProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Theory]
    [InlineData(4, "group-too-small")]
    [InlineData(61, "group-too-large")]
    public async Task PatchBooking_OutsideGroupLimits_Returns422(int headcount, string type)
    {
        using var unit = await server.ClientForAsync("unit3");
        var booking = await unit.BookAsync(BookingBody(server.NextDay(), headcount: 10));

        await Resize(unit, booking, headcount).ProblemAsync(HttpStatusCode.UnprocessableEntity, type);

        Assert.Equal(10, (await unit.GetBookingAsync(booking.Str("id"))).Int("headcount"));
    }

    [Fact]
    public async Task PatchBooking_UnknownId_Returns404BookingNotFound()
    {
        using var unit = await server.ClientForAsync("unit1");

        await unit.SendJsonAsync(HttpMethod.Patch, "/api/bookings/bkzzzzzzzzzzzzzzzzzzzz", new JsonObject { ["headcount"] = 10 })
            .ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
    }

    [Fact]
    public async Task CancelBooking_Confirmed_IsCancelledAndFreesItsPlaces()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();
        var booking = await unit.BookAsync(BookingBody(day, headcount: 20));

        var cancelled = await Cancel(unit, booking).OkAsync();

        Assert.Equal("cancelled", cancelled.Str("status"));
        Assert.Equal("cancelled", (await unit.GetBookingAsync(booking.Str("id"))).Str("status"));
        Assert.Equal(day.Venue.Limits.SlotCapacity, (await unit.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task CancelBooking_Twice_StaysCancelledAndFreesOnce()
    {
        using var unit = await server.ClientForAsync("unit2");
        var day = server.NextDay(SharedServer.SmallVenue);
        var booking = await unit.BookAsync(BookingBody(day, headcount: 20));
        await unit.BookAsync(BookingBody(day, headcount: 20));

        await Cancel(unit, booking).OkAsync();
        var again = await Cancel(unit, booking).OkAsync();

        Assert.Equal("cancelled", again.Str("status"));
        Assert.Equal(20, (await unit.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task CancelBooking_WithWaitlist_PromotesStrictlyInArrivalOrder()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        using var unit3 = await server.ClientForAsync("unit3");
        var day = server.NextDay(SharedServer.SmallVenue);
        var a = await unit1.BookAsync(BookingBody(day, headcount: 30));
        var b = await unit2.BookAsync(BookingBody(day, headcount: 10));
        var c = await unit3.BookAsync(BookingBody(day, headcount: 20, waitlist: true), "waitlisted");
        var d = await unit2.BookAsync(BookingBody(day, headcount: 5, waitlist: true), "waitlisted");

        // 10 places free up: the head of the queue (20) does not fit, and the 5 behind it must not overtake it.
        await Cancel(unit2, b).OkAsync();
        var cWaiting = await unit3.GetBookingAsync(c.Str("id"));
        var dWaiting = await unit2.GetBookingAsync(d.Str("id"));
        Assert.Equal("waitlisted", cWaiting.Str("status"));
        Assert.Equal(1, cWaiting.Int("waitlistPosition"));
        Assert.Equal("waitlisted", dWaiting.Str("status"));
        Assert.Equal(2, dWaiting.Int("waitlistPosition"));
        var slot = await unit1.SlotAsync(day);
        Assert.Equal(10, slot.Int("remaining"));
        Assert.Equal(25, slot.Int("waitlisted"));

        // 40 free: both are confirmed, first the head, then the one behind it.
        await Cancel(unit1, a).OkAsync();
        Assert.Equal("confirmed", (await unit3.GetBookingAsync(c.Str("id"))).Str("status"));
        Assert.Equal("confirmed", (await unit2.GetBookingAsync(d.Str("id"))).Str("status"));
        slot = await unit1.SlotAsync(day);
        Assert.Equal(15, slot.Int("remaining"));
        Assert.Equal(0, slot.Int("waitlisted"));
    }

    [Fact]
    public async Task CancelBooking_Waitlisted_LeavesTheQueueWithoutTakingPlaces()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var day = server.NextDay(SharedServer.SmallVenue);
        await unit1.BookAsync(BookingBody(day, headcount: 40));
        var waiting = await unit2.BookAsync(BookingBody(day, headcount: 10, waitlist: true), "waitlisted");

        var cancelled = await Cancel(unit2, waiting).OkAsync();

        Assert.Equal("cancelled", cancelled.Str("status"));
        var slot = await unit1.SlotAsync(day);
        Assert.Equal(0, slot.Int("remaining"));
        Assert.Equal(0, slot.Int("waitlisted"));
    }

    [Fact]
    public async Task CancelBooking_UnknownId_Returns404BookingNotFound()
    {
        using var unit = await server.ClientForAsync("unit1");

        await unit.PostAsync("/api/bookings/bkzzzzzzzzzzzzzzzzzzz2/cancel", null, Ct).ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
    }

    [Fact]
    public async Task PatchBooking_Cancelled_Returns409BookingCancelled()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();
        var booking = await unit.BookAsync(BookingBody(day, headcount: 10));
        await Cancel(unit, booking).OkAsync();

        await Resize(unit, booking, 12).ProblemAsync(HttpStatusCode.Conflict, "booking-cancelled");

        Assert.Equal(day.Venue.Limits.SlotCapacity, (await unit.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task RescheduleBooking_Cancelled_Returns409BookingCancelled()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();
        var target = server.NextDay(day.VenueId);
        var booking = await unit.BookAsync(BookingBody(day, headcount: 10));
        await Cancel(unit, booking).OkAsync();

        await Reschedule(unit, booking, target, target.FirstSlot).ProblemAsync(HttpStatusCode.Conflict, "booking-cancelled");

        Assert.Equal(target.Venue.Limits.SlotCapacity, (await unit.SlotAsync(target)).Int("remaining"));
    }

    [Fact]
    public async Task RescheduleBooking_ToAnotherDayAndSlot_MovesPlacesWithIt()
    {
        using var unit = await server.ClientForAsync("unit1");
        var from = server.NextDay("heishan-memorial");
        var to = server.NextDay("heishan-memorial");
        var booking = await unit.BookAsync(BookingBody(from, headcount: 14));

        var moved = await Reschedule(unit, booking, to, to.Slot(3)).OkAsync();

        Assert.Equal(booking.Str("id"), moved.Str("id"));
        Assert.Equal(to.DateText, moved.Str("date"));
        Assert.Equal(to.Slot(3), moved.Str("slot"));
        Assert.Equal("confirmed", moved.Str("status"));
        var stored = await unit.GetBookingAsync(booking.Str("id"));
        Assert.Equal(to.DateText, stored.Str("date"));
        Assert.Equal(to.Slot(3), stored.Str("slot"));
        var capacity = from.Venue.Limits.SlotCapacity;
        Assert.Equal(capacity, (await unit.SlotAsync(from)).Int("remaining"));
        Assert.Equal(capacity - 14, (await unit.SlotAsync(to, to.Slot(3))).Int("remaining"));
    }

    [Fact]
    public async Task RescheduleBooking_WithinTheSameDay_MovesToTheNewSlot()
    {
        using var unit = await server.ClientForAsync("unit2");
        var day = server.NextDay();
        var booking = await unit.BookAsync(BookingBody(day, headcount: 8));

        await Reschedule(unit, booking, day, day.Slot(1)).OkAsync();

        var capacity = day.Venue.Limits.SlotCapacity;
        Assert.Equal(capacity, (await unit.SlotAsync(day)).Int("remaining"));
        Assert.Equal(capacity - 8, (await unit.SlotAsync(day, day.Slot(1))).Int("remaining"));
    }

    [Fact]
    public async Task RescheduleBooking_TwiceThenCancel_FreesEveryDayItTouched()
    {
        using var unit = await server.ClientForAsync("unit3");
        var first = server.NextDay("tashan-memorial");
        var second = server.NextDay("tashan-memorial");
        var third = server.NextDay("tashan-memorial");
        var booking = await unit.BookAsync(BookingBody(first, headcount: 11));

        await Reschedule(unit, booking, second, second.FirstSlot).OkAsync();
        await Reschedule(unit, booking, third, third.FirstSlot).OkAsync();
        Assert.Equal(third.DateText, (await unit.GetBookingAsync(booking.Str("id"))).Str("date"));
        Assert.Equal(third.Venue.Limits.SlotCapacity - 11, (await unit.SlotAsync(third)).Int("remaining"));
        await Cancel(unit, booking).OkAsync();

        foreach (var day in new[] { first, second, third })
        {
            Assert.Equal(day.Venue.Limits.SlotCapacity, (await unit.SlotAsync(day)).Int("remaining"));
        }
        Assert.Equal("cancelled", (await unit.GetBookingAsync(booking.Str("id"))).Str("status"));
    }

    [Fact]
    public async Task RescheduleBooking_ThenResize_ChangesTheNewPlacement()
    {
        using var unit = await server.ClientForAsync("unit1");
        var from = server.NextDay();
        var to = server.NextDay(from.VenueId);
        var booking = await unit.BookAsync(BookingBody(from, headcount: 10));
        await Reschedule(unit, booking, to, to.FirstSlot).OkAsync();

        await Resize(unit, booking, 25).OkAsync();

        Assert.Equal(from.Venue.Limits.SlotCapacity, (await unit.SlotAsync(from)).Int("remaining"));
        Assert.Equal(to.Venue.Limits.SlotCapacity - 25, (await unit.SlotAsync(to)).Int("remaining"));
    }

    [Fact]
    public async Task RescheduleBooking_TargetFull_Returns409AndLeavesTheBookingWhereItWas()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var from = server.NextDay(SharedServer.SmallVenue);
        var to = server.NextDay(SharedServer.SmallVenue);
        await unit2.BookAsync(BookingBody(to, headcount: 35));
        var booking = await unit1.BookAsync(BookingBody(from, headcount: 10));

        await Reschedule(unit1, booking, to, to.FirstSlot).ProblemAsync(HttpStatusCode.Conflict, "slot-full");

        var kept = await unit1.GetBookingAsync(booking.Str("id"));
        Assert.Equal("confirmed", kept.Str("status"));
        Assert.Equal(from.DateText, kept.Str("date"));
        Assert.Equal(from.FirstSlot, kept.Str("slot"));
        Assert.Equal(30, (await unit1.SlotAsync(from)).Int("remaining"));
        Assert.Equal(5, (await unit1.SlotAsync(to)).Int("remaining"));
        // The booking still holds its places: it can be cancelled, which frees them where it is.
        await Cancel(unit1, booking).OkAsync();
        Assert.Equal(40, (await unit1.SlotAsync(from)).Int("remaining"));
    }

    [Fact]
    public async Task RescheduleBooking_ToAClosedDay_Returns422VenueClosedAndKeepsTheBooking()
    {
        using var unit = await server.ClientForAsync("unit1");
        var from = server.NextDay("liaoshen-memorial");
        var booking = await unit.BookAsync(BookingBody(from, headcount: 10));
        var monday = new VenueDay(from.VenueId, TestDates.NextClosed(from.Venue, 5));

        await Reschedule(unit, booking, monday, from.FirstSlot).ProblemAsync(HttpStatusCode.UnprocessableEntity, "venue-closed");

        Assert.Equal(from.DateText, (await unit.GetBookingAsync(booking.Str("id"))).Str("date"));
    }

    [Fact]
    public async Task RescheduleBooking_RuleBroken_Returns422WithTheRule()
    {
        using var unit = await server.ClientForAsync("unit2");
        var from = server.NextDay("liaoshen-memorial");
        var booking = await unit.BookAsync(BookingBody(from, headcount: 10));
        var venue = from.Venue;

        await Reschedule(unit, booking, from, "12:30").ProblemAsync(HttpStatusCode.UnprocessableEntity, "unknown-slot");
        await Reschedule(unit, booking, new VenueDay(venue.Id, TestDates.NextOpen(venue, 1)), "09:00")
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, "too-soon");
        await Reschedule(unit, booking, new VenueDay(venue.Id, TestDates.NextOpen(venue, venue.Limits.LeadMaxDays + 3)), "09:00")
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, "too-far-ahead");

        var kept = await unit.GetBookingAsync(booking.Str("id"));
        Assert.Equal(from.DateText, kept.Str("date"));
        Assert.Equal(from.FirstSlot, kept.Str("slot"));
        Assert.Equal("confirmed", kept.Str("status"));
    }

    [Fact]
    public async Task RescheduleBooking_ToWhereItIs_ChangesNothing()
    {
        using var unit = await server.ClientForAsync("unit3");
        var day = server.NextDay();
        var booking = await unit.BookAsync(BookingBody(day, headcount: 10));

        var same = await Reschedule(unit, booking, day, day.FirstSlot).OkAsync();

        Assert.Equal("confirmed", same.Str("status"));
        Assert.Equal(day.Venue.Limits.SlotCapacity - 10, (await unit.SlotAsync(day)).Int("remaining"));
    }

    [Theory]
    [InlineData(null, "09:00", "date")]
    [InlineData("2027-02-30", "09:00", "date")]
    [InlineData("soon", "09:00", "date")]
    [InlineData("2030-01-01", null, "slot")]
    [InlineData("2030-01-01", "9:00 am", "slot")]
    public async Task RescheduleBooking_BadDateOrSlot_Returns400ValidationFailed(string? date, string? slot, string field)
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();
        var booking = await unit.BookAsync(BookingBody(day, headcount: 10));

        await unit.SendJsonAsync(HttpMethod.Post, $"/api/bookings/{booking.Str("id")}/reschedule", new JsonObject { ["date"] = date, ["slot"] = slot })
            .ValidationProblemAsync(field);

        Assert.Equal(day.DateText, (await unit.GetBookingAsync(booking.Str("id"))).Str("date"));
    }

    [Fact]
    public async Task RescheduleBooking_UnknownId_Returns404BookingNotFound()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();

        await unit.SendJsonAsync(HttpMethod.Post, "/api/bookings/bkzzzzzzzzzzzzzzzzzzz3/reschedule", new JsonObject { ["date"] = day.DateText, ["slot"] = day.FirstSlot })
            .ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
    }

    internal static Task<HttpResponseMessage> Resize(HttpClient client, JsonObject booking, int headcount) =>
        client.SendJsonAsync(HttpMethod.Patch, $"/api/bookings/{booking.Str("id")}", new JsonObject { ["headcount"] = headcount });

    internal static Task<HttpResponseMessage> Cancel(HttpClient client, JsonObject booking) =>
        client.PostAsync($"/api/bookings/{booking.Str("id")}/cancel", null, Ct);

    internal static Task<HttpResponseMessage> Reschedule(HttpClient client, JsonObject booking, VenueDay day, string slot) =>
        client.SendJsonAsync(HttpMethod.Post, $"/api/bookings/{booking.Str("id")}/reschedule", new JsonObject { ["date"] = day.DateText, ["slot"] = slot });
}

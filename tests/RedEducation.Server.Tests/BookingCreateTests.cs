using System.Net;
using System.Text.Json.Nodes;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Testing;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

public sealed class BookingCreateTests(SharedServer server)
{
    [Fact]
    public async Task PostBooking_OpenSlot_Returns201ConfirmedWithContractFields()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();

        using var response = await unit.PostBookingAsync(BookingBody(day, headcount: 25));
        var booking = await response.ObjectAsync();

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = booking.Str("id");
        Assert.Equal($"/api/bookings/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("confirmed", booking.Str("status"));
        Assert.Equal(day.VenueId, booking.Str("venueId"));
        Assert.Equal(day.DateText, booking.Str("date"));
        Assert.Equal(day.FirstSlot, booking.Str("slot"));
        Assert.Equal(25, booking.Int("headcount"));
        Assert.Equal("unit1", booking.Str("unitId"));
        Assert.Equal(id, (await unit.GetBookingAsync(id)).Str("id"));
    }

    [Fact]
    public async Task PostBooking_SameKeySameBody_ReturnsTheSameBookingAndCountsItOnce()
    {
        using var unit = await server.ClientForAsync("unit2");
        var day = server.NextDay();
        var body = BookingBody(day, headcount: 15);
        var key = NewKey();

        using var first = await unit.PostBookingAsync(body, key);
        using var second = await unit.PostBookingAsync(body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Contains(second.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
        var id = (await first.ObjectAsync()).Str("id");
        Assert.Equal(id, (await second.ObjectAsync()).Str("id"));
        var slot = await unit.SlotAsync(day);
        Assert.Equal(day.Venue.Limits.SlotCapacity - 15, slot.Int("remaining"));
        Assert.Single(await unit.GetArrayAsync("/api/bookings"), b => b.Str("id") == id);
    }

    [Fact]
    public async Task PostBooking_SameKeySentConcurrently_MakesOneBooking()
    {
        using var unit = await server.ClientForAsync("unit3");
        var day = server.NextDay();
        var body = BookingBody(day, headcount: 7);
        var key = NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => unit.PostBookingAsync(body, key)));

        var ids = new HashSet<string>();
        foreach (var response in responses)
        {
            using (response)
            {
                Assert.Contains(response.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Created });
                ids.Add((await response.ObjectAsync()).Str("id"));
            }
        }
        Assert.Single(ids);
        Assert.Equal(day.Venue.Limits.SlotCapacity - 7, (await unit.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PostBooking_SameKeyDifferentBody_Returns422IdempotencyKeyReusedAndKeepsTheFirst()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();
        var key = NewKey();
        var first = await unit.PostBookingAsync(BookingBody(day, headcount: 10), key).OkAsync(HttpStatusCode.Created);

        await unit.PostBookingAsync(BookingBody(day, headcount: 11), key).ProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await unit.PostBookingAsync(BookingBody(day, headcount: 10, slot: day.Slot(1)), key).ProblemAsync(HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");

        var kept = await unit.GetBookingAsync(first.Str("id"));
        Assert.Equal(10, kept.Int("headcount"));
        Assert.Equal(day.FirstSlot, kept.Str("slot"));
        Assert.Equal(day.Venue.Limits.SlotCapacity - 10, (await unit.SlotAsync(day)).Int("remaining"));
        Assert.Equal(day.Venue.Limits.SlotCapacity, (await unit.SlotAsync(day, day.Slot(1))).Int("remaining"));
    }

    [Fact]
    public async Task PostBooking_SameKeyFromAnotherUnit_MakesThatUnitItsOwnBooking()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var day = server.NextDay();
        var key = NewKey();

        var mine = await unit1.PostBookingAsync(BookingBody(day, headcount: 10), key).OkAsync(HttpStatusCode.Created);
        var theirs = await unit2.PostBookingAsync(BookingBody(day, headcount: 10), key).OkAsync(HttpStatusCode.Created);

        Assert.NotEqual(mine.Str("id"), theirs.Str("id"));
        Assert.Equal("unit2", theirs.Str("unitId"));
        Assert.Equal(day.Venue.Limits.SlotCapacity - 20, (await unit1.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PostBooking_WithoutIdempotencyKey_BooksEachRequest()
    {
        using var unit = await server.ClientForAsync("unit3");
        var day = server.NextDay();

        var first = await unit.PostBookingAsync(BookingBody(day, headcount: 5), idempotencyKey: null).OkAsync(HttpStatusCode.Created);
        var second = await unit.PostBookingAsync(BookingBody(day, headcount: 5), idempotencyKey: null).OkAsync(HttpStatusCode.Created);

        Assert.NotEqual(first.Str("id"), second.Str("id"));
    }

    [Fact]
    public async Task PostBooking_FullSlot_Returns409SlotFullAndBooksNothing()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var day = server.NextDay(SharedServer.SmallVenue);
        await unit1.BookAsync(BookingBody(day, headcount: 35));

        await unit2.PostBookingAsync(BookingBody(day, headcount: 6)).ProblemAsync(HttpStatusCode.Conflict, "slot-full");

        var slot = await unit2.SlotAsync(day);
        Assert.Equal(5, slot.Int("remaining"));
        Assert.Equal(0, slot.Int("waitlisted"));
        await unit2.BookAsync(BookingBody(day, headcount: 5));
        Assert.Equal(0, (await unit2.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PostBooking_FullSlotWithWaitlist_Returns201WaitlistedInArrivalOrder()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        using var unit3 = await server.ClientForAsync("unit3");
        var day = server.NextDay(SharedServer.SmallVenue);
        await unit1.BookAsync(BookingBody(day, headcount: 40));

        var second = await unit2.BookAsync(BookingBody(day, headcount: 10, waitlist: true), "waitlisted");
        var third = await unit3.BookAsync(BookingBody(day, headcount: 8, waitlist: true), "waitlisted");

        Assert.Equal(1, second.Int("waitlistPosition"));
        Assert.Equal(2, third.Int("waitlistPosition"));
        var slot = await unit1.SlotAsync(day);
        Assert.Equal(0, slot.Int("remaining"));
        Assert.Equal(18, slot.Int("waitlisted"));
    }

    [Fact]
    public async Task PostBooking_WaitlistAllowedAndRoomLeft_IsConfirmed()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();

        var booking = await unit.BookAsync(BookingBody(day, headcount: 10, waitlist: true));

        Assert.Null(booking["waitlistPosition"]);
    }

    [Fact]
    public async Task PostBooking_UnitsRaceForOneSlot_ConfirmsExactlyTheCapacity()
    {
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        using var unit3 = await server.ClientForAsync("unit3");
        HttpClient[] units = [unit1, unit2, unit3];
        var day = server.NextDay(SharedServer.SmallVenue);

        // Twelve groups of 10 for a slot of 40, four from each unit (well under each unit's cap of 80).
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => units[i % 3].PostBookingAsync(BookingBody(day, headcount: 10))));

        var created = 0;
        foreach (var response in responses)
        {
            using (response)
            {
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    created++;
                }
                else
                {
                    await response.AssertProblemAsync(HttpStatusCode.Conflict, "slot-full");
                }
            }
        }
        Assert.Equal(4, created);
        Assert.Equal(0, (await unit1.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PostBooking_ClosedDay_Returns422VenueClosed()
    {
        using var unit = await server.ClientForAsync("unit1");
        var venue = TestVenues.Seed("tashan-memorial");
        var monday = new VenueDay(venue.Id, TestDates.NextClosed(venue, 5));

        await unit.PostBookingAsync(BookingBody(monday)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "venue-closed");
    }

    [Fact]
    public async Task PostBooking_ClosedByDatedException_Returns422VenueClosed()
    {
        using var unit = await server.ClientForAsync("unit1");

        // Spring Festival at Dandong falls on a Saturday, an ordinary opening day; the exception closes it.
        await unit.PostBookingAsync(BookingBody(new VenueDay("dandong-kmyc-memorial", new DateOnly(2027, 2, 6))))
            .ProblemAsync(HttpStatusCode.UnprocessableEntity, "venue-closed");
    }

    [Theory]
    [InlineData("09:30")]
    [InlineData("08:00")]
    [InlineData("16:30")]
    [InlineData("23:00")]
    public async Task PostBooking_TimeThatIsNoSlot_Returns422UnknownSlot(string slot)
    {
        using var unit = await server.ClientForAsync("unit2");
        var day = server.NextDay("liaoshen-memorial");

        await unit.PostBookingAsync(BookingBody(day, slot: slot)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "unknown-slot");

        Assert.All((await unit.AvailabilityAsync(day))["slots"]!.AsArray(), s => Assert.Equal(day.Venue.Limits.SlotCapacity, s.Int("remaining")));
    }

    [Fact]
    public async Task PostBooking_InsideTheLeadTime_Returns422TooSoon()
    {
        using var unit = await server.ClientForAsync("unit1");
        var venue = TestVenues.Seed("liaoshen-memorial");
        // The first open day from tomorrow is at most two days ahead: inside the 3-day lead time.
        var soon = new VenueDay(venue.Id, TestDates.NextOpen(venue, 1));
        Assert.True(soon.Date.DayNumber - TestDates.Today.DayNumber < venue.Limits.LeadMinDays);

        await unit.PostBookingAsync(BookingBody(soon)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "too-soon");
    }

    [Fact]
    public async Task PostBooking_BeyondTheBookingWindow_Returns422TooFarAhead()
    {
        using var unit = await server.ClientForAsync("unit1");
        var venue = TestVenues.Seed("liaoshen-memorial");
        var late = new VenueDay(venue.Id, TestDates.NextOpen(venue, venue.Limits.LeadMaxDays + 2));

        await unit.PostBookingAsync(BookingBody(late)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "too-far-ahead");
    }

    [Theory]
    [InlineData("0001-01-02")]
    [InlineData("1949-10-01")]
    [InlineData("9999-12-30")]
    public async Task PostBooking_DateFarInPastOrFuture_Returns422(string date)
    {
        using var unit = await server.ClientForAsync("unit1");
        var body = BookingBody(new VenueDay("peishuichi-battle-site", DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture)));

        using var response = await unit.PostBookingAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains((await response.ObjectAsync()).Str("type"), new[] { "/problems/too-soon", "/problems/too-far-ahead" });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task PostBooking_GroupBelowTheMinimum_Returns422GroupTooSmall(int headcount)
    {
        using var unit = await server.ClientForAsync("unit3");
        var day = server.NextDay();

        await unit.PostBookingAsync(BookingBody(day, headcount)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "group-too-small");
    }

    [Theory]
    [InlineData(61)]
    [InlineData(int.MaxValue)]
    public async Task PostBooking_GroupAboveTheMaximum_Returns422GroupTooLarge(int headcount)
    {
        using var unit = await server.ClientForAsync("unit3");
        var day = server.NextDay();

        await unit.PostBookingAsync(BookingBody(day, headcount)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "group-too-large");

        Assert.Equal(day.Venue.Limits.SlotCapacity, (await unit.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PostBooking_GroupLimitsExactly_AreAccepted()
    {
        using var unit = await server.ClientForAsync("unit2");
        var day = server.NextDay();

        await unit.BookAsync(BookingBody(day, headcount: day.Venue.Limits.GroupMin));
        await unit.BookAsync(BookingBody(day, headcount: day.Venue.Limits.GroupMax, slot: day.Slot(1)));
    }

    [Theory]
    [InlineData("headcount", 0)]
    [InlineData("headcount", -5)]
    [InlineData("headcount", null)]
    [InlineData("date", "2027-02-30")]
    [InlineData("date", "next tuesday")]
    [InlineData("date", "")]
    [InlineData("date", null)]
    [InlineData("slot", "9am")]
    [InlineData("slot", "25:00")]
    [InlineData("slot", "09:00:00")]
    [InlineData("slot", null)]
    [InlineData("contactName", null)]
    [InlineData("contactName", "")]
    [InlineData("contactName", "   ")]
    [InlineData("contactName", "tab\tin name")]
    [InlineData("contactPhone", null)]
    [InlineData("contactPhone", "call me")]
    [InlineData("contactPhone", "123")]
    [InlineData("venueId", null)]
    [InlineData("venueId", "")]
    public async Task PostBooking_InvalidField_Returns400ValidationFailedNamingIt(string field, object? value)
    {
        using var unit = await server.ClientForAsync("unit1");
        var body = BookingBody(server.NextDay());
        body[field] = value switch
        {
            null => null,
            int number => number,
            string text => text,
            _ => throw new ArgumentOutOfRangeException(nameof(value)),
        };

        await unit.PostBookingAsync(body).ValidationProblemAsync(field);
    }

    [Fact]
    public async Task PostBooking_ContactNameTooLong_Returns400ValidationFailed()
    {
        using var unit = await server.ClientForAsync("unit1");
        var body = BookingBody(server.NextDay());
        body["contactName"] = new string('名', 101);

        await unit.PostBookingAsync(body).ValidationProblemAsync("contactName");
    }

    [Fact]
    public async Task PostBooking_UnicodeContact_IsStoredAsSent()
    {
        using var unit = await server.ClientForAsync("unit2");
        var body = BookingBody(server.NextDay());
        body["contactName"] = "张 · Zhāng 👩‍🏫 O'Brien";
        body["contactPhone"] = "+86 (024) 2345-6789";

        var booking = await unit.BookAsync(body);

        var stored = await unit.GetBookingAsync(booking.Str("id"));
        Assert.Equal("张 · Zhāng 👩‍🏫 O'Brien", stored.Str("contactName"));
        Assert.Equal("+86 (024) 2345-6789", stored.Str("contactPhone"));
    }

    [Fact]
    public async Task PostBooking_IdempotencyKeyOver128Chars_Returns400ValidationFailed()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();

        await unit.PostBookingAsync(BookingBody(day), new string('k', 129)).ValidationProblemAsync("Idempotency-Key");
        await unit.PostBookingAsync(BookingBody(day), new string('k', 128) + "-" + NewKey()).ValidationProblemAsync("Idempotency-Key");

        Assert.Equal(day.Venue.Limits.SlotCapacity, (await unit.SlotAsync(day)).Int("remaining"));
        await unit.PostBookingAsync(BookingBody(day), new string('k', 100) + NewKey()[..28]).OkAsync(HttpStatusCode.Created);
    }

    [Theory]
    [InlineData("no-such-venue")]
    [InlineData("../../etc/passwd")]
    [InlineData("辽沈战役纪念馆")]
    [InlineData("LIAOSHEN-MEMORIAL")]
    public async Task PostBooking_UnknownVenue_Returns404VenueNotFound(string venueId)
    {
        using var unit = await server.ClientForAsync("unit1");
        var body = BookingBody(server.NextDay());
        body["venueId"] = venueId;

        await unit.PostBookingAsync(body).ProblemAsync(HttpStatusCode.NotFound, "venue-not-found");
    }

    [Fact]
    public async Task PostBooking_VeryLongVenueId_Returns404VenueNotFound()
    {
        using var unit = await server.ClientForAsync("unit1");
        var body = BookingBody(server.NextDay());
        // As long as a JSON body may be (64 KiB); longer bodies are refused as too large before they are read.
        body["venueId"] = new string('v', 60_000);

        await unit.PostBookingAsync(body).ProblemAsync(HttpStatusCode.NotFound, "venue-not-found");
    }

    [Theory]
    [InlineData("""{"venueId":"liaoshen-memorial","date":"2030-01-01","slot":"09:00","headcount":"ten","contactName":"a","contactPhone":"12345"}""")]
    [InlineData("""{"venueId":"liaoshen-memorial","date":"2030-01-01","slot":"09:00","headcount":10.5,"contactName":"a","contactPhone":"12345"}""")]
    [InlineData("""{"venueId":"liaoshen-memorial","date":"2030-01-01","slot":"09:00","headcount":99999999999,"contactName":"a","contactPhone":"12345"}""")]
    [InlineData("""{"venueId":"liaoshen-memorial","date":"2030-01-01","slot":"09:00","headcount":10,"contactName":"a","contactPhone":"12345","waitlist":"yes"}""")]
    [InlineData("""{"venueId":42,"date":"2030-01-01","slot":"09:00","headcount":10,"contactName":"a","contactPhone":"12345"}""")]
    [InlineData("""{"venueId":"liaoshen-memorial","date":{"y":2030},"slot":"09:00","headcount":10,"contactName":"a","contactPhone":"12345"}""")]
    [InlineData("""{"venueId":"liaoshen-memorial","date":"2030-01-01","slot":["09:00"],"headcount":10,"contactName":"a","contactPhone":"12345"}""")]
    [InlineData("""[{"venueId":"liaoshen-memorial"}]""")]
    [InlineData("\"a string\"")]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{\"venueId\":\"liaoshen-memorial\",")]
    [InlineData("{'venueId':'liaoshen-memorial'}")]
    public async Task PostBooking_MalformedOrWronglyTypedJson_Returns400MalformedRequest(string body)
    {
        using var unit = await server.ClientForAsync("unit1");

        await unit.SendRawAsync(HttpMethod.Post, "/api/bookings", body).ProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task PostBooking_InvalidUtf8_Returns400MalformedRequest()
    {
        using var unit = await server.ClientForAsync("unit1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings")
        {
            Content = new ByteArrayContent([.. "{\"venueId\":\""u8, 0xff, 0xfe, 0xc0, .. "\"}"u8]),
        };
        request.Content.Headers.ContentType = new("application/json");

        await unit.SendAsync(request, Ct).ProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task PostBooking_DeeplyNestedJson_Returns400MalformedRequest()
    {
        using var unit = await server.ClientForAsync("unit1");
        var body = "{\"venueId\":" + new string('[', 5000) + new string(']', 5000) + "}";

        await unit.SendRawAsync(HttpMethod.Post, "/api/bookings", body).ProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task PostBooking_NotJson_Returns415UnsupportedMediaType()
    {
        using var unit = await server.ClientForAsync("unit1");
        var body = BookingBody(server.NextDay()).ToJsonString();

        await unit.SendRawAsync(HttpMethod.Post, "/api/bookings", body, "text/plain").ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
        await unit.SendRawAsync(HttpMethod.Post, "/api/bookings", "venueId=liaoshen-memorial", "application/x-www-form-urlencoded")
            .ProblemAsync(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Fact]
    public async Task PostBooking_BodyOverOneMegabyte_Returns413PayloadTooLarge()
    {
        using var unit = await server.ClientForAsync("unit1");
        var body = BookingBody(server.NextDay());
        body["contactName"] = new string('x', (1 << 20) + 1);

        // Once with a Content-Length, once streamed (chunked), where the limit is found only while reading. Both ask to
        // continue first, as clients sending large bodies do: the server that refuses a body need not take it, and a
        // client still writing when the server closed once saw a broken pipe instead of the answer.
        using var withLength = LargePost(new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        await unit.SendAsync(withLength, Ct).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
        using var streamed = LargePost(System.Net.Http.Json.JsonContent.Create(body));
        await unit.SendAsync(streamed, Ct).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");

        static HttpRequestMessage LargePost(HttpContent content)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings") { Content = content, Headers = { ExpectContinue = true } };
            request.Headers.Add("Idempotency-Key", NewKey());
            return request;
        }
    }

    [Fact]
    public async Task PostBooking_NoToken_Returns401Unauthorized()
    {
        using var client = server.Anonymous();
        var day = server.NextDay();

        await client.PostBookingAsync(BookingBody(day)).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");

        Assert.Equal(day.Venue.Limits.SlotCapacity, (await client.SlotAsync(day)).Int("remaining"));
    }

    [Theory]
    [InlineData("planner")]
    [InlineData("staff-liaoshen-memorial")]
    public async Task PostBooking_PlannerOrStaff_Returns403Forbidden(string user)
    {
        using var client = await server.ClientForAsync(user);
        var day = server.NextDay("liaoshen-memorial");

        await client.PostBookingAsync(BookingBody(day, unitId: "unit1")).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        Assert.Equal(day.Venue.Limits.SlotCapacity, (await client.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task PostBooking_UnitNamesAnotherUnitInBody_BooksForItsOwnUnit()
    {
        using var unit1 = await server.ClientForAsync("unit1");

        var booking = await unit1.BookAsync(BookingBody(server.NextDay(), unitId: "unit2"));

        Assert.Equal("unit1", booking.Str("unitId"));
    }

    [Fact]
    public async Task PostBooking_AdminForAUnit_BooksForThatUnit()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit3 = await server.ClientForAsync("unit3");

        var booking = await admin.BookAsync(BookingBody(server.NextDay(), unitId: "unit3"));

        Assert.Equal("unit3", booking.Str("unitId"));
        Assert.Equal("unit3", (await unit3.GetBookingAsync(booking.Str("id"))).Str("unitId"));
    }

    [Fact]
    public async Task PostBooking_AdminWithoutUnit_Returns400ValidationFailed()
    {
        using var admin = await server.ClientForAsync("admin");

        await admin.PostBookingAsync(BookingBody(server.NextDay())).ValidationProblemAsync("unitId");
    }
}

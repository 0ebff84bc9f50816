using System.Net;
using System.Text.Json.Nodes;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Testing;
using static RedEducation.Server.Tests.BookingLifecycleTests;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>
/// A server of its own for tests that change venue rules; each test rents a venue nobody else touches. The one venue
/// with a short booking window is never rented: tests that must leave rules unchanged read it.
/// </summary>
public sealed class RulesServer : RedEducationServer
{
    public const string UntouchedVenue = "dandong-kmyc-memorial";

    private readonly Lock _lock = new();
    private readonly Queue<string> _free = new(TestVenues.Seeded.Where(v => v.Id != UntouchedVenue).Select(v => v.Id));

    public string RentVenue()
    {
        lock (_lock)
        {
            return _free.TryDequeue(out var id) ? id : throw new InvalidOperationException("every venue of the rules server is rented");
        }
    }
}

public sealed class VenueRulesTests(RulesServer server) : IClassFixture<RulesServer>
{
    [Fact]
    public async Task PatchVenue_AsAdmin_ChangesTheRulesAndTheAvailability()
    {
        using var admin = await server.ClientForAsync("admin");
        var venueId = server.RentVenue();

        var patched = await PatchAsync(admin, venueId, new JsonObject { ["slotCapacity"] = 33, ["groupMax"] = 30, ["leadMaxDays"] = 45 });

        Assert.Equal(33, patched.Int("slotCapacity"));
        var venue = await admin.GetObjectAsync($"/api/venues/{venueId}");
        Assert.Equal(33, venue.Int("slotCapacity"));
        Assert.Equal(30, venue.Int("groupMax"));
        Assert.Equal(45, venue.Int("leadMaxDays"));
        Assert.Equal(TestVenues.Seed(venueId).Limits.DailyCap, venue.Int("dailyCap"));
        var day = Day(venueId, 40);
        Assert.All((await admin.AvailabilityAsync(day))["slots"]!.AsArray(), s => Assert.Equal(33, s.Int("capacity")));
        using var unit = await server.ClientForAsync("unit1");
        await unit.BookAsync(BookingBody(day, headcount: 30));
    }

    [Theory]
    [InlineData("""{"groupMin":50,"groupMax":10}""", "groupMin")]
    [InlineData("""{"slotCapacity":0}""", "slotCapacity")]
    [InlineData("""{"groupMax":100000,"slotCapacity":50}""", "groupMax")]
    [InlineData("""{"leadMinDays":10,"leadMaxDays":5}""", "leadMinDays")]
    [InlineData("""{"leadMaxDays":10000}""", "leadMinDays")]
    [InlineData("""{"dailyCap":-1}""", "dailyCap")]
    [InlineData("""{"unitCapPerDay":0}""", "unitCapPerDay")]
    [InlineData("""{"hours":{"open":"12:00","lastEntry":"09:00","close":"17:00"}}""", "hours")]
    [InlineData("""{"location":{"lat":95,"lon":123.4}}""", "location")]
    [InlineData("""{"location":{"lat":41.1,"lon":121.1,"accuracyMeters":-5}}""", "coordinate.accuracyMeters")]
    public async Task PatchVenue_InconsistentRules_Returns400ValidationFailedAndChangesNothing(string patch, string field)
    {
        using var admin = await server.ClientForAsync("admin");
        const string venueId = RulesServer.UntouchedVenue;
        var before = (await admin.GetObjectAsync($"/api/venues/{venueId}")).ToJsonString();

        await admin.SendRawAsync(HttpMethod.Patch, $"/api/venues/{venueId}", patch).ValidationProblemAsync(field);

        Assert.Equal(before, (await admin.GetObjectAsync($"/api/venues/{venueId}")).ToJsonString());
    }

    [Theory]
    [InlineData("""{"slotCapacity":"big"}""")]
    [InlineData("""{"closedWeekdays":["someday"]}""")]
    [InlineData("""{"closedWeekdays":[null]}""")]
    [InlineData("""{"hours":{"open":"9","lastEntry":"16:00","close":"17:00"}}""")]
    [InlineData("""{"exceptions":[{"date":"not a date","open":false}]}""")]
    [InlineData("null")]
    [InlineData("{")]
    public async Task PatchVenue_MalformedBody_Returns400MalformedRequestAndChangesNothing(string patch)
    {
        using var admin = await server.ClientForAsync("admin");
        const string venueId = RulesServer.UntouchedVenue;
        var before = (await admin.GetObjectAsync($"/api/venues/{venueId}")).ToJsonString();

        await admin.SendRawAsync(HttpMethod.Patch, $"/api/venues/{venueId}", patch).ProblemAsync(HttpStatusCode.BadRequest, "malformed-request");

        Assert.Equal(before, (await admin.GetObjectAsync($"/api/venues/{venueId}")).ToJsonString());
    }

    [Theory]
    [InlineData("""{"exceptions":[null]}""", "exceptions")]
    [InlineData("""{"exceptions":[{"date":"2030-01-01","open":false,"note":{"zh":"","en":""}},null]}""", "exceptions")]
    [InlineData("""{"closedWeekdays":[9]}""", "closedWeekdays")]
    [InlineData("""{"closedWeekdays":[-1]}""", "closedWeekdays")]
    public async Task PatchVenue_EntriesNoRuleCanHold_Returns400AndTheVenueKeepsWorking(string patch, string field)
    {
        using var admin = await server.ClientForAsync("admin");
        const string venueId = RulesServer.UntouchedVenue;
        var before = (await admin.GetObjectAsync($"/api/venues/{venueId}")).ToJsonString();

        await admin.SendRawAsync(HttpMethod.Patch, $"/api/venues/{venueId}", patch).ValidationProblemAsync(field);

        Assert.Equal(before, (await admin.GetObjectAsync($"/api/venues/{venueId}")).ToJsonString());
        Assert.True((bool?)(await admin.AvailabilityAsync(Day(venueId, 3)))["open"]);
        using var unit = await server.ClientForAsync("unit1");
        await unit.BookAsync(BookingBody(Day(venueId, 3)));
    }

    [Theory]
    [InlineData("no-such-venue")]
    [InlineData("..%2F..%2Fetc")]
    public async Task PatchVenue_UnknownVenue_Returns404VenueNotFound(string venueId)
    {
        using var admin = await server.ClientForAsync("admin");

        await admin.SendJsonAsync(HttpMethod.Patch, $"/api/venues/{venueId}", new JsonObject { ["slotCapacity"] = 10 })
            .ProblemAsync(HttpStatusCode.NotFound, "venue-not-found");
    }

    [Fact]
    public async Task PostBooking_DailyCapReached_Returns409DayFull()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var venueId = server.RentVenue();
        await PatchAsync(admin, venueId, new JsonObject { ["dailyCap"] = 25, ["slotCapacity"] = 20, ["groupMax"] = 20 });
        var day = Day(venueId, 10);
        await unit1.BookAsync(BookingBody(day, headcount: 15, slot: day.Slot(0)));

        await unit2.PostBookingAsync(BookingBody(day, headcount: 11, slot: day.Slot(1))).ProblemAsync(HttpStatusCode.Conflict, "day-full");

        // What is left of the day is the daily remainder, in every slot.
        Assert.All((await unit2.AvailabilityAsync(day))["slots"]!.AsArray().Skip(1), s => Assert.Equal(10, s.Int("remaining")));
        var fits = await unit2.BookAsync(BookingBody(day, headcount: 10, slot: day.Slot(1)));
        await Resize(unit2, fits, 11).ProblemAsync(HttpStatusCode.Conflict, "day-full");
        await unit1.PostBookingAsync(BookingBody(day, headcount: 5, slot: day.Slot(2))).ProblemAsync(HttpStatusCode.Conflict, "day-full");
    }

    [Fact]
    public async Task PostBooking_UnitCapReached_Returns422UnitCapForThatUnitOnly()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var venueId = server.RentVenue();
        await PatchAsync(admin, venueId, new JsonObject { ["unitCapPerDay"] = 30 });
        var day = Day(venueId, 10);
        var first = await unit1.BookAsync(BookingBody(day, headcount: 20, slot: day.Slot(0)));

        await unit1.PostBookingAsync(BookingBody(day, headcount: 11, slot: day.Slot(1))).ProblemAsync(HttpStatusCode.UnprocessableEntity, "unit-cap");
        await Resize(unit1, first, 31).ProblemAsync(HttpStatusCode.UnprocessableEntity, "unit-cap");

        await unit1.BookAsync(BookingBody(day, headcount: 10, slot: day.Slot(1)));
        await unit2.BookAsync(BookingBody(day, headcount: 30, slot: day.Slot(1)));
        // Another day is another allowance.
        await unit1.BookAsync(BookingBody(Day(venueId, 12), headcount: 30));
    }

    [Fact]
    public async Task RescheduleBooking_WithinADayAtTheUnitCap_MovesBecauseTheUnitsTotalStaysTheSame()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit = await server.ClientForAsync("unit3");
        var venueId = server.RentVenue();
        await PatchAsync(admin, venueId, new JsonObject { ["unitCapPerDay"] = 40 });
        var day = Day(venueId, 10);
        var booking = await unit.BookAsync(BookingBody(day, headcount: 25, slot: day.Slot(0)));
        await unit.BookAsync(BookingBody(day, headcount: 15, slot: day.Slot(2)));

        var moved = await Reschedule(unit, booking, day, day.Slot(1)).OkAsync();

        Assert.Equal(day.Slot(1), moved.Str("slot"));
        var slots = (await unit.AvailabilityAsync(day))["slots"]!.AsArray();
        var capacity = TestVenues.Seed(venueId).Limits.SlotCapacity;
        Assert.Equal(capacity, slots[0].Int("remaining"));
        Assert.Equal(capacity - 25, slots[1].Int("remaining"));
    }

    [Fact]
    public async Task RescheduleBooking_WithinAFullDay_MovesBecauseTheDaysTotalStaysTheSame()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit = await server.ClientForAsync("unit2");
        var venueId = server.RentVenue();
        await PatchAsync(admin, venueId, new JsonObject { ["dailyCap"] = 30 });
        var day = Day(venueId, 10);
        var booking = await unit.BookAsync(BookingBody(day, headcount: 30, slot: day.Slot(0)));

        var moved = await Reschedule(unit, booking, day, day.Slot(3)).OkAsync();

        Assert.Equal(day.Slot(3), moved.Str("slot"));
        Assert.Equal("confirmed", (await unit.GetBookingAsync(booking.Str("id"))).Str("status"));
        var slots = (await unit.AvailabilityAsync(day))["slots"]!.AsArray();
        Assert.All(slots, s => Assert.Equal(0, s.Int("remaining")));
        Assert.Equal(30, slots[3].Int("booked"));
        Assert.Equal(0, slots[0].Int("booked"));
    }

    [Fact]
    public async Task PostBooking_SlotAlreadyStartedToday_Returns422SlotStarted()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit = await server.ClientForAsync("unit1");
        var venueId = server.RentVenue();
        await PatchAsync(admin, venueId, new JsonObject
        {
            ["hours"] = new JsonObject { ["open"] = "00:00", ["lastEntry"] = "23:00", ["close"] = "23:59" },
            ["closedWeekdays"] = new JsonArray(),
            ["exceptions"] = new JsonArray(),
            ["leadMinDays"] = 0,
        });
        // Today's 00:00 slot began at midnight in the venue's zone, whenever this runs.
        var today = new VenueDay(venueId, TestDates.Today);

        await unit.PostBookingAsync(BookingBody(today, slot: "00:00")).ProblemAsync(HttpStatusCode.UnprocessableEntity, "slot-started");
    }

    [Fact]
    public async Task PostBooking_DayClosedByAnAdministratorsException_Returns422VenueClosed()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit = await server.ClientForAsync("unit1");
        var venueId = server.RentVenue();
        var closed = Day(venueId, 10);
        var monday = TestDates.Today.AddDays(12);
        while (monday.DayOfWeek != DayOfWeek.Monday)
        {
            monday = monday.AddDays(1);
        }
        await PatchAsync(admin, venueId, new JsonObject
        {
            ["exceptions"] = new JsonArray(
                new JsonObject { ["date"] = closed.DateText, ["open"] = false, ["note"] = new JsonObject { ["zh"] = "馆内维修", ["en"] = "Maintenance" } },
                new JsonObject { ["date"] = $"{monday:yyyy-MM-dd}", ["open"] = true, ["note"] = new JsonObject { ["zh"] = "特别开放", ["en"] = "Special opening" } }),
        });

        await unit.PostBookingAsync(BookingBody(closed)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "venue-closed");
        Assert.False((bool?)(await unit.AvailabilityAsync(closed))["open"]);

        var opened = new VenueDay(venueId, monday);
        Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek);
        await unit.BookAsync(BookingBody(opened));
    }

    [Fact]
    public async Task PatchVenue_CapacityBelowWhatIsBooked_KeepsBookingsAndShowsNothingRemaining()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit = await server.ClientForAsync("unit2");
        var venueId = server.RentVenue();
        await PatchAsync(admin, venueId, new JsonObject { ["slotCapacity"] = 60, ["groupMax"] = 60 });
        var day = Day(venueId, 10);
        var booking = await unit.BookAsync(BookingBody(day, headcount: 50));

        await PatchAsync(admin, venueId, new JsonObject { ["slotCapacity"] = 40, ["groupMax"] = 40 });

        var slot = await unit.SlotAsync(day);
        Assert.Equal(0, slot.Int("remaining"));
        Assert.Equal(50, slot.Int("booked"));
        Assert.Equal("confirmed", (await unit.GetBookingAsync(booking.Str("id"))).Str("status"));
        await unit.PostBookingAsync(BookingBody(day, headcount: 5)).ProblemAsync(HttpStatusCode.Conflict, "slot-full");
    }

    [Fact]
    public async Task PatchVenue_GroupLimits_AreEnforcedOnNewBookings()
    {
        using var admin = await server.ClientForAsync("admin");
        using var unit = await server.ClientForAsync("unit3");
        var venueId = server.RentVenue();
        await PatchAsync(admin, venueId, new JsonObject { ["groupMin"] = 12, ["groupMax"] = 20 });
        var day = Day(venueId, 10);

        await unit.PostBookingAsync(BookingBody(day, headcount: 11)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "group-too-small");
        await unit.PostBookingAsync(BookingBody(day, headcount: 21)).ProblemAsync(HttpStatusCode.UnprocessableEntity, "group-too-large");
        await unit.BookAsync(BookingBody(day, headcount: 12));
    }

    private static VenueDay Day(string venueId, int daysAhead) => new(venueId, TestDates.NextOpen(TestVenues.Seed(venueId), daysAhead));

    private static Task<JsonObject> PatchAsync(HttpClient admin, string venueId, JsonObject patch) =>
        admin.SendJsonAsync(HttpMethod.Patch, $"/api/venues/{venueId}", patch).OkAsync();
}

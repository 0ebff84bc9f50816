using System.Net;
using System.Text.RegularExpressions;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Testing;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

public sealed partial class AvailabilityTests(SharedServer server)
{
    [Fact]
    public async Task GetAvailability_OpenDay_ListsEverySlotAsHourMinuteWithFullCapacity()
    {
        using var client = server.Anonymous();
        var day = server.NextDay();

        var availability = await client.AvailabilityAsync(day);

        Assert.Equal(day.VenueId, availability.Str("venueId"));
        Assert.Equal(day.DateText, availability.Str("date"));
        Assert.True((bool?)availability["open"]);
        var slots = availability["slots"]!.AsArray();
        Assert.Equal(day.Venue.DailySlots().Count, slots.Count);
        Assert.Equal(day.FirstSlot, slots[0].Str("start"));
        foreach (var slot in slots)
        {
            Assert.Matches(HourMinute(), slot.Str("start"));
            Assert.Matches(HourMinute(), slot.Str("end"));
            Assert.Equal(day.Venue.Limits.SlotCapacity, slot.Int("capacity"));
            Assert.Equal(day.Venue.Limits.SlotCapacity, slot.Int("remaining"));
            Assert.Equal(0, slot.Int("waitlisted"));
        }
    }

    [Fact]
    public async Task GetAvailability_WeeklyClosedDay_IsClosedWithoutSlots()
    {
        using var client = server.Anonymous();
        var venue = TestVenues.Seed("liaoshen-memorial");
        var monday = TestDates.NextClosed(venue, 0);

        var availability = await client.GetObjectAsync($"/api/venues/liaoshen-memorial/availability?date={monday:yyyy-MM-dd}");

        Assert.Equal(DayOfWeek.Monday, monday.DayOfWeek);
        Assert.False((bool?)availability["open"]);
        Assert.Empty(availability["slots"]!.AsArray());
    }

    [Theory]
    [InlineData("dandong-kmyc-memorial", "2027-02-06", false)] // Spring Festival on a Saturday: closed by exception
    [InlineData("dandong-kmyc-memorial", "2027-04-05", true)] // Qingming on a Monday: open by exception
    [InlineData("guan-xiangying-memorial", "2027-10-04", true)] // National Day week, a Monday
    [InlineData("peishuichi-battle-site", "2027-10-11", true)] // a Monday at a venue open every day
    public async Task GetAvailability_DatedException_OverridesTheWeeklyRule(string venueId, string date, bool open)
    {
        using var client = server.Anonymous();

        var availability = await client.GetObjectAsync($"/api/venues/{venueId}/availability?date={date}");

        Assert.Equal(open, (bool?)availability["open"]);
        Assert.Equal(open, availability["slots"]!.AsArray().Count > 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?date=")]
    [InlineData("?date=tomorrow")]
    [InlineData("?date=2027-13-01")]
    [InlineData("?date=2027-02-30")]
    [InlineData("?date=2027-1-5")]
    [InlineData("?date=20270105")]
    [InlineData("?date=2027-01-05T00:00:00")]
    [InlineData("?date=%27%3B%20DROP%20TABLE%20grain_state%3B--")]
    public async Task GetAvailability_MissingOrBadDate_Returns400ValidationFailed(string query)
    {
        using var client = server.Anonymous();

        await client.GetAsync($"/api/venues/liaoshen-memorial/availability{query}", Ct).ValidationProblemAsync("date");
    }

    [Theory]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31")]
    public async Task GetAvailability_ExtremeDates_AnswersWithoutError(string date)
    {
        using var client = server.Anonymous();

        var availability = await client.GetObjectAsync($"/api/venues/peishuichi-battle-site/availability?date={date}");

        Assert.Equal(date, availability.Str("date"));
    }

    [Fact]
    public async Task GetAvailability_AfterBooking_RemainingDropsInThatSlotOnly()
    {
        using var unit = await server.ClientForAsync("unit1");
        var day = server.NextDay();
        var capacity = day.Venue.Limits.SlotCapacity;

        await unit.BookAsync(BookingBody(day, headcount: 12, slot: day.Slot(1)));

        var slots = (await unit.AvailabilityAsync(day))["slots"]!.AsArray();
        Assert.Equal(capacity - 12, slots[1].Int("remaining"));
        Assert.Equal(capacity, slots[0].Int("remaining"));
        Assert.Equal(capacity, slots[2].Int("remaining"));
    }

    [GeneratedRegex("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    private static partial Regex HourMinute();
}

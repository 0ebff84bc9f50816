using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;
using RedEducation.Testing;

namespace RedEducation.Domain.Tests.Booking;

public sealed class BookingRulesTests
{
    // Tuesday 2026-12-01, 10:00 in Shanghai.
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private static readonly VenueProfile Venue = TestVenues.Sample(
        groupMin: 5, groupMax: 60, leadMinDays: 3, leadMaxDays: 30, closedWeekdays: [DayOfWeek.Monday]);

    private static readonly VenueProfile SameDayVenue = TestVenues.Sample(groupMin: 5, groupMax: 60, leadMinDays: 0, leadMaxDays: 30);

    private static DateOnly D(int year, int month, int day) => new(year, month, day);

    private static TimeOnly T(int hour, int minute = 0) => new(hour, minute);

    [Fact]
    public void CheckNew_ValidRequest_ReturnsNone()
    {
        Assert.Equal(Refusal.None, BookingRules.CheckNew(Venue, D(2026, 12, 4), T(10), 30, Now));
    }

    [Fact]
    public void CheckNew_ClosedWeekday_ReturnsVenueClosed()
    {
        Assert.Equal(Refusal.VenueClosed, BookingRules.CheckNew(Venue, D(2026, 12, 7), T(10), 30, Now));
    }

    [Fact]
    public void CheckNew_DayClosedByException_ReturnsVenueClosed()
    {
        var venue = Venue with { Exceptions = [new DayOverride(D(2026, 12, 4), false, LocalizedText.Empty)] };

        Assert.Equal(Refusal.VenueClosed, BookingRules.CheckNew(venue, D(2026, 12, 4), T(10), 30, Now));
    }

    [Theory]
    [InlineData(10, 30)]
    [InlineData(8, 0)]
    [InlineData(17, 0)]
    [InlineData(16, 30)]
    public void CheckNew_TimeThatIsNotASlotStart_ReturnsUnknownSlot(int hour, int minute)
    {
        Assert.Equal(Refusal.UnknownSlot, BookingRules.CheckNew(Venue, D(2026, 12, 4), T(hour, minute), 30, Now));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(1)]
    [InlineData(0)]
    public void CheckNew_FewerDaysAheadThanLeadMin_ReturnsTooSoon(int daysAhead)
    {
        Assert.Equal(Refusal.TooSoon, BookingRules.CheckNew(Venue, D(2026, 12, 1).AddDays(daysAhead), T(10), 30, Now));
    }

    [Fact]
    public void CheckNew_DateInThePast_ReturnsTooSoon()
    {
        Assert.Equal(Refusal.TooSoon, BookingRules.CheckNew(Venue, D(2026, 11, 28), T(10), 30, Now));
    }

    [Fact]
    public void CheckNew_ExactlyLeadMinDaysAhead_ReturnsNone()
    {
        Assert.Equal(Refusal.None, BookingRules.CheckNew(Venue, D(2026, 12, 4), T(9), 30, Now));
    }

    [Fact]
    public void CheckNew_ExactlyLeadMaxDaysAhead_ReturnsNone()
    {
        Assert.Equal(Refusal.None, BookingRules.CheckNew(Venue, D(2026, 12, 31), T(10), 30, Now));
    }

    [Fact]
    public void CheckNew_OneDayBeyondLeadMax_ReturnsTooFarAhead()
    {
        Assert.Equal(Refusal.TooFarAhead, BookingRules.CheckNew(Venue, D(2027, 1, 1), T(10), 30, Now));
    }

    [Fact]
    public void CheckNew_AfterShanghaiMidnightButBeforeUtcMidnight_CountsLeadInVenueDays()
    {
        // 16:30 UTC on 1 Dec is 00:30 on 2 Dec in Shanghai: 4 Dec is only two local days away.
        var now = new DateTimeOffset(2026, 12, 1, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal(Refusal.TooSoon, BookingRules.CheckNew(Venue, D(2026, 12, 4), T(10), 30, now));
        Assert.Equal(Refusal.None, BookingRules.CheckNew(Venue, D(2026, 12, 5), T(10), 30, now));
    }

    [Fact]
    public void CheckNew_JustBeforeShanghaiMidnight_StillCountsFromTheLocalDay()
    {
        var now = new DateTimeOffset(2026, 12, 1, 15, 59, 0, TimeSpan.Zero);

        Assert.Equal(Refusal.None, BookingRules.CheckNew(Venue, D(2026, 12, 4), T(10), 30, now));
        Assert.Equal(Refusal.TooFarAhead, BookingRules.CheckNew(Venue, D(2027, 1, 1), T(10), 30, now));
    }

    [Fact]
    public void CheckNew_LeadMaxCountedInVenueDays_AllowsLastDayAfterLocalMidnight()
    {
        // In UTC 1 Jan 2027 would be 31 days away; in Shanghai it is already 2 Dec, so it is 30.
        var now = new DateTimeOffset(2026, 12, 1, 16, 30, 0, TimeSpan.Zero);

        Assert.Equal(Refusal.None, BookingRules.CheckNew(Venue, D(2027, 1, 1), T(10), 30, now));
    }

    [Fact]
    public void CheckNew_SameDaySlotAlreadyStarted_ReturnsSlotStarted()
    {
        var now = new DateTimeOffset(2026, 12, 1, 2, 30, 0, TimeSpan.Zero); // 10:30 local

        Assert.Equal(Refusal.SlotStarted, BookingRules.CheckNew(SameDayVenue, D(2026, 12, 1), T(10), 30, now));
        Assert.Equal(Refusal.SlotStarted, BookingRules.CheckNew(SameDayVenue, D(2026, 12, 1), T(9), 30, now));
    }

    [Fact]
    public void CheckNew_SameDayLaterSlot_ReturnsNone()
    {
        var now = new DateTimeOffset(2026, 12, 1, 2, 30, 0, TimeSpan.Zero); // 10:30 local

        Assert.Equal(Refusal.None, BookingRules.CheckNew(SameDayVenue, D(2026, 12, 1), T(11), 30, now));
    }

    [Fact]
    public void CheckNew_SameDayBeforeOpeningWhileUtcIsPreviousDay_ReturnsNone()
    {
        // 23:00 UTC on 30 Nov is 07:00 on 1 Dec in Shanghai: the 09:00 slot has not begun.
        var now = new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero);

        Assert.Equal(Refusal.None, BookingRules.CheckNew(SameDayVenue, D(2026, 12, 1), T(9), 30, now));
    }

    [Fact]
    public void HasStarted_ExactlyAtSlotStart_ReturnsTrue()
    {
        var start = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.FromHours(8));

        Assert.True(BookingRules.HasStarted(SameDayVenue, D(2026, 12, 1), T(10), start));
        Assert.False(BookingRules.HasStarted(SameDayVenue, D(2026, 12, 1), T(10), start.AddSeconds(-1)));
    }

    [Theory]
    [InlineData(4, Refusal.GroupTooSmall)]
    [InlineData(1, Refusal.GroupTooSmall)]
    [InlineData(0, Refusal.GroupTooSmall)]
    [InlineData(5, Refusal.None)]
    [InlineData(60, Refusal.None)]
    [InlineData(61, Refusal.GroupTooLarge)]
    public void CheckNew_GroupSize_RespectsVenueMinAndMax(int headcount, Refusal expected)
    {
        Assert.Equal(expected, BookingRules.CheckNew(Venue, D(2026, 12, 4), T(10), headcount, Now));
    }

    [Fact]
    public void CheckNew_SeededDandongSameDay_ReturnsTooSoon()
    {
        var dandong = TestVenues.Seed("dandong-kmyc-memorial");
        var now = new DateTimeOffset(2027, 1, 26, 2, 0, 0, TimeSpan.Zero); // Tuesday 10:00 local

        Assert.Equal(Refusal.TooSoon, BookingRules.CheckNew(dandong, D(2027, 1, 26), T(14), 30, now));
        Assert.Equal(Refusal.None, BookingRules.CheckNew(dandong, D(2027, 1, 27), T(14), 30, now));
        Assert.Equal(Refusal.None, BookingRules.CheckNew(dandong, D(2027, 2, 2), T(14), 30, now));
        Assert.Equal(Refusal.TooFarAhead, BookingRules.CheckNew(dandong, D(2027, 2, 3), T(14), 30, now));
    }

    [Fact]
    public void CheckNew_SeededDandongOnSpringFestival_ReturnsVenueClosed()
    {
        var dandong = TestVenues.Seed("dandong-kmyc-memorial");
        var now = new DateTimeOffset(2027, 2, 2, 2, 0, 0, TimeSpan.Zero);

        Assert.Equal(Refusal.VenueClosed, BookingRules.CheckNew(dandong, D(2027, 2, 6), T(10), 30, now));
    }
}

using System.Globalization;
using RedEducation.Domain.Venues;
using RedEducation.Testing;

namespace RedEducation.Domain.Tests.Venues;

public sealed class VenueProfileTests
{
    private static readonly DateOnly Tuesday = new(2026, 12, 1);
    private static readonly DateOnly Monday = new(2026, 12, 7);

    private static TimeOnly T(int hour, int minute = 0) => new(hour, minute);

    private static TimeOnly Time(string text) => TimeOnly.ParseExact(text, "HH:mm", CultureInfo.InvariantCulture);

    private static VenueProfile WithHours(VenueProfile venue, TimeOnly open, TimeOnly lastEntry, TimeOnly close, int slotMinutes) =>
        venue with { Hours = new DailyHours(open, lastEntry, close), Limits = venue.Limits with { SlotMinutes = slotMinutes } };

    [Fact]
    public void SlotsOn_ClosedWeekday_ReturnsNoSlots()
    {
        var venue = TestVenues.Sample(closedWeekdays: [DayOfWeek.Monday]);

        Assert.False(venue.IsOpenOn(Monday));
        Assert.Empty(venue.SlotsOn(Monday));
    }

    [Fact]
    public void SlotsOn_DayAfterClosedWeekday_ReturnsSlots()
    {
        var venue = TestVenues.Sample(closedWeekdays: [DayOfWeek.Monday]);

        Assert.True(venue.IsOpenOn(Monday.AddDays(1)));
        Assert.Equal(8, venue.SlotsOn(Monday.AddDays(1)).Count);
    }

    [Fact]
    public void IsOpenOn_ExceptionOpensClosedMonday_ReturnsTrue()
    {
        var venue = TestVenues.Sample(
            closedWeekdays: [DayOfWeek.Monday],
            exceptions: [new DayOverride(Monday, true, new LocalizedText("假日开放", "Holiday opening"))]);

        Assert.True(venue.IsOpenOn(Monday));
        Assert.Equal(venue.DailySlots(), venue.SlotsOn(Monday));
        Assert.False(venue.IsOpenOn(Monday.AddDays(7)));
    }

    [Fact]
    public void IsOpenOn_ExceptionClosesOpenDay_ReturnsFalse()
    {
        var venue = TestVenues.Sample(exceptions: [new DayOverride(Tuesday, false, new LocalizedText("闭馆", "Closed"))]);

        Assert.False(venue.IsOpenOn(Tuesday));
        Assert.Empty(venue.SlotsOn(Tuesday));
        Assert.True(venue.IsOpenOn(Tuesday.AddDays(-1)));
        Assert.True(venue.IsOpenOn(Tuesday.AddDays(1)));
    }

    [Fact]
    public void SlotsOn_HourlyOpenDay_ReturnsOneSlotPerHourFromOpenToLastEntry()
    {
        var venue = TestVenues.Sample();

        var slots = venue.SlotsOn(Tuesday);

        Slot[] expected = [.. Enumerable.Range(9, 8).Select(h => new Slot(T(h), T(h + 1)))];
        Assert.Equal(expected, slots);
    }

    [Fact]
    public void DailySlots_Hourly_AreContiguousAndNonOverlapping()
    {
        var slots = TestVenues.Sample().DailySlots();

        Assert.All(slots, s => Assert.True(s.Start < s.End, $"{s} is empty or reversed"));
        for (var i = 1; i < slots.Count; i++)
        {
            // start-inclusive, end-exclusive: a slot ends exactly where the next begins
            Assert.Equal(slots[i - 1].End, slots[i].Start);
        }
    }

    [Fact]
    public void DailySlots_LastSlotWouldPassClose_EndsAtClose()
    {
        var venue = WithHours(TestVenues.Sample(), T(9), T(16), T(16, 30), 60);

        var slots = venue.DailySlots();

        Assert.Equal(new Slot(T(16), T(16, 30)), slots[^1]);
        Assert.Equal(8, slots.Count);
    }

    [Fact]
    public void DailySlots_LastEntryBetweenSlotStarts_LastSlotStartsBeforeLastEntry()
    {
        var venue = WithHours(TestVenues.Sample(), T(9), T(16, 30), T(17), 60);

        var slots = venue.DailySlots();

        Assert.Equal(new Slot(T(16), T(17)), slots[^1]);
        Assert.DoesNotContain(slots, s => s.Start > T(16, 30));
    }

    [Theory]
    [InlineData(30, 15, "16:00", "16:30")]
    [InlineData(45, 10, "15:45", "16:30")]
    [InlineData(90, 5, "15:00", "16:30")]
    [InlineData(120, 4, "15:00", "17:00")]
    [InlineData(480, 1, "09:00", "17:00")]
    public void DailySlots_SlotLengthOtherThanAnHour_StepsBySlotLength(int minutes, int count, string lastStart, string lastEnd)
    {
        var venue = WithHours(TestVenues.Sample(), T(9), T(16), T(17), minutes);

        var slots = venue.DailySlots();

        Assert.Equal(count, slots.Count);
        Assert.Equal(T(9), slots[0].Start);
        Assert.All(slots.Take(count - 1), s => Assert.Equal(TimeSpan.FromMinutes(minutes), s.End - s.Start));
        Assert.Equal(new Slot(Time(lastStart), Time(lastEnd)), slots[^1]);
    }

    [Fact]
    public void DailySlots_TwoHourSlotsClosingEarly_LastSlotIsCutAtClose()
    {
        var venue = WithHours(TestVenues.Sample(), T(9), T(16), T(16, 30), 120);

        var slots = venue.DailySlots();

        Assert.Equal([new Slot(T(9), T(11)), new Slot(T(11), T(13)), new Slot(T(13), T(15)), new Slot(T(15), T(16, 30))], slots);
    }

    [Fact]
    public void DailySlots_LastEntryEqualsClose_HasNoEmptySlot()
    {
        var venue = WithHours(TestVenues.Sample(), T(9), T(17), T(17), 60);

        var slots = venue.DailySlots();

        Assert.All(slots, s => Assert.True(s.Start < s.End, $"slot {s.Start}-{s.End} holds no time"));
        Assert.Equal(new Slot(T(16), T(17)), slots[^1]);
        Assert.False(venue.HasSlot(Tuesday, T(17)));
    }

    [Fact]
    public void DailySlots_LastSlotReachesMidnight_EndsAtCloseAndStops()
    {
        var venue = WithHours(TestVenues.Sample(), T(21), T(23), T(23, 59), 60);

        var slots = venue.DailySlots();

        Assert.Equal([new Slot(T(21), T(22)), new Slot(T(22), T(23)), new Slot(T(23), T(23, 59))], slots);
    }

    [Fact]
    public void SlotsOn_SeededDandong_LastSlotEndsAtHalfPastFour()
    {
        var dandong = TestVenues.Seed("dandong-kmyc-memorial");

        var slots = dandong.SlotsOn(new DateOnly(2027, 3, 2));

        Assert.Equal(new Slot(T(9), T(10)), slots[0]);
        Assert.Equal(new Slot(T(16), T(16, 30)), slots[^1]);
        Assert.Equal(8, slots.Count);
    }

    [Theory]
    [InlineData(9, 0, true)]
    [InlineData(12, 0, true)]
    [InlineData(16, 0, true)]
    [InlineData(9, 30, false)]
    [InlineData(8, 0, false)]
    [InlineData(17, 0, false)]
    public void HasSlot_OpenDay_TrueOnlyForGeneratedSlotStarts(int hour, int minute, bool expected)
    {
        Assert.Equal(expected, TestVenues.Sample().HasSlot(Tuesday, T(hour, minute)));
    }

    [Fact]
    public void HasSlot_ClosedDay_ReturnsFalse()
    {
        var venue = TestVenues.Sample(closedWeekdays: [DayOfWeek.Monday]);

        Assert.False(venue.HasSlot(Monday, T(10)));
    }

    [Theory]
    [InlineData("2026-12-01T16:30:00Z", "2026-12-02")]
    [InlineData("2026-12-01T16:00:00Z", "2026-12-02")]
    [InlineData("2026-12-01T15:59:59Z", "2026-12-01")]
    [InlineData("2026-12-01T00:00:00Z", "2026-12-01")]
    [InlineData("2026-12-01T20:00:00-05:00", "2026-12-02")]
    [InlineData("2026-12-02T00:30:00+08:00", "2026-12-02")]
    [InlineData("2026-12-31T16:00:00Z", "2027-01-01")]
    public void LocalDate_InstantNearShanghaiMidnight_ReturnsShanghaiCalendarDate(string instant, string expected)
    {
        var venue = TestVenues.Sample();

        var date = venue.LocalDate(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture));

        Assert.Equal(DateOnly.ParseExact(expected, "yyyy-MM-dd", CultureInfo.InvariantCulture), date);
    }

    [Fact]
    public void Problems_SoundProfile_ReturnsNone()
    {
        Assert.Empty(TestVenues.Sample().Problems());
    }

    [Theory]
    [InlineData("lastEntryAfterClose", "hours")]
    [InlineData("openAfterLastEntry", "hours")]
    [InlineData("slotTooShort", "slotMinutes")]
    [InlineData("zeroSlotCapacity", "slotCapacity")]
    [InlineData("zeroDailyCap", "dailyCap")]
    [InlineData("groupMinAboveMax", "groupMin")]
    [InlineData("groupMinZero", "groupMin")]
    [InlineData("groupMaxAboveSlot", "groupMax")]
    [InlineData("leadMinAboveMax", "leadMinDays")]
    [InlineData("negativeLead", "leadMinDays")]
    [InlineData("unitCapBelowGroupMin", "unitCapPerDay")]
    [InlineData("badId", "id")]
    [InlineData("noName", "name")]
    [InlineData("unknownZone", "timeZone")]
    [InlineData("latitudeOutOfRange", "coordinate")]
    [InlineData("negativeAccuracy", "coordinate.accuracyMeters")]
    [InlineData("resourceWithoutCapacity", "resources")]
    public void Problems_InconsistentProfile_ReportsTheField(string change, string field)
    {
        var venue = Broken(change);

        var problems = venue.Problems();

        Assert.Contains(problems, p => p.Field == field);
    }

    private static VenueProfile Broken(string change)
    {
        var v = TestVenues.Sample(slotCapacity: 50, groupMin: 5, groupMax: 40, leadMinDays: 3, leadMaxDays: 30, unitCapPerDay: 80);
        return change switch
        {
            "lastEntryAfterClose" => v with { Hours = new DailyHours(T(9), T(17, 30), T(17)) },
            "openAfterLastEntry" => v with { Hours = new DailyHours(T(12), T(11), T(17)) },
            "slotTooShort" => v with { Limits = v.Limits with { SlotMinutes = 5 } },
            "zeroSlotCapacity" => v with { Limits = v.Limits with { SlotCapacity = 0 } },
            "zeroDailyCap" => v with { Limits = v.Limits with { DailyCap = 0 } },
            "groupMinAboveMax" => v with { Limits = v.Limits with { GroupMin = 41 } },
            "groupMinZero" => v with { Limits = v.Limits with { GroupMin = 0 } },
            "groupMaxAboveSlot" => v with { Limits = v.Limits with { GroupMax = 51 } },
            "leadMinAboveMax" => v with { Limits = v.Limits with { LeadMinDays = 31 } },
            "negativeLead" => v with { Limits = v.Limits with { LeadMinDays = -1 } },
            "unitCapBelowGroupMin" => v with { Limits = v.Limits with { UnitCapPerDay = 4 } },
            "badId" => v with { Id = "../Venue" },
            "noName" => v with { Name = LocalizedText.Empty },
            "unknownZone" => v with { TimeZone = "Mars/Olympus_Mons" },
            "latitudeOutOfRange" => v with { Coordinate = v.Coordinate with { Point = new GeoPoint(123.4, 41.8) } },
            "negativeAccuracy" => v with { Coordinate = v.Coordinate with { AccuracyMeters = -1 } },
            "resourceWithoutCapacity" => v with { Resources = [new SecondResource("panorama", LocalizedText.Empty, 0)] },
            _ => throw new ArgumentOutOfRangeException(nameof(change), change, null),
        };
    }
}

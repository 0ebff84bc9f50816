namespace RedEducation.Domain.Venues;

/// <summary>A text in Chinese (the first language) and English.</summary>
public sealed record LocalizedText(string Zh, string En)
{
    public static readonly LocalizedText Empty = new("", "");
}

/// <summary>A WGS84 position in degrees.</summary>
public sealed record GeoPoint(double Lat, double Lon)
{
    public bool IsValid => Lat is >= -90 and <= 90 && Lon is >= -180 and <= 180 && double.IsFinite(Lat) && double.IsFinite(Lon);
}

/// <summary>Where a venue stands, with where that position came from and how far it may be off.</summary>
public sealed record VenueCoordinate(GeoPoint Point, string Source, string Datum, int AccuracyMeters, bool Approximate);

/// <summary>Daily opening in local time: doors open, the last entry, doors close.</summary>
public sealed record DailyHours(TimeOnly Open, TimeOnly LastEntry, TimeOnly Close);

/// <summary>A date that departs from the weekly rule: a holiday opening or an extra closure.</summary>
public sealed record DayOverride(DateOnly Date, bool Open, LocalizedText Note);

/// <summary>A second limited resource booked with a slot, such as a docent tour or the panorama hall.</summary>
public sealed record SecondResource(string Id, LocalizedText Name, int CapacityPerSlot);

/// <summary>The numbers a booking must respect at a venue.</summary>
public sealed record BookingLimits(
    int SlotMinutes,
    int SlotCapacity,
    int DailyCap,
    int GroupMin,
    int GroupMax,
    int LeadMinDays,
    int LeadMaxDays,
    int UnitCapPerDay);

/// <summary>A stop of the Liaoshen Campaign route, in historical order.</summary>
public sealed record CampaignStop(int Order, DateOnly From, DateOnly To, LocalizedText Text);

/// <summary>A start-inclusive, end-exclusive visiting slot in the venue's local time.</summary>
public readonly record struct Slot(TimeOnly Start, TimeOnly End);

/// <summary>Everything the system knows about one venue: identity, place, opening rules and booking limits.</summary>
public sealed record VenueProfile(
    string Id,
    string Kind,
    LocalizedText Name,
    LocalizedText City,
    LocalizedText Address,
    string TimeZone,
    VenueCoordinate Coordinate,
    DailyHours Hours,
    IReadOnlyList<DayOfWeek> ClosedWeekdays,
    IReadOnlyList<DayOverride> Exceptions,
    BookingLimits Limits,
    int VisitMinutes,
    IReadOnlyList<SecondResource> Resources,
    LocalizedText Requirements,
    CampaignStop? CampaignStop,
    IReadOnlyList<string> Sources,
    IReadOnlyList<string> Assumed)
{
    /// <summary>Whether visitors are admitted on <paramref name="date"/>: a dated exception wins over the weekly rule.</summary>
    public bool IsOpenOn(DateOnly date)
    {
        foreach (var exception in Exceptions)
        {
            if (exception.Date == date)
            {
                return exception.Open;
            }
        }
        return !ClosedWeekdays.Contains(date.DayOfWeek);
    }

    /// <summary>The slots of a day: from opening, one every SlotMinutes, the last one starting no later than the last entry.</summary>
    public IReadOnlyList<Slot> SlotsOn(DateOnly date) => IsOpenOn(date) ? DailySlots() : [];

    /// <summary>The slot pattern of an open day.</summary>
    public IReadOnlyList<Slot> DailySlots()
    {
        var slots = new List<Slot>();
        var length = TimeSpan.FromMinutes(Limits.SlotMinutes);
        // A start at closing time would make an empty slot [close, close): nobody could visit in it.
        for (var start = Hours.Open; start <= Hours.LastEntry && start < Hours.Close; start = start.Add(length))
        {
            var end = start.Add(length);
            slots.Add(new Slot(start, end > Hours.Close || end < start ? Hours.Close : end));
            if (end < start)
            {
                break; // wrapped past midnight
            }
        }
        return slots;
    }

    public bool HasSlot(DateOnly date, TimeOnly start) => SlotsOn(date).Any(s => s.Start == start);

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);

    /// <summary>The venue's local calendar date at <paramref name="instant"/>.</summary>
    public DateOnly LocalDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Zone).DateTime);

    /// <summary>Rule problems that make a profile unusable, as (field, message) pairs; empty when the profile is sound.</summary>
    public IReadOnlyList<(string Field, string Message)> Problems()
    {
        var problems = new List<(string, string)>();
        void Require(bool ok, string field, string message)
        {
            if (!ok)
            {
                problems.Add((field, message));
            }
        }

        Require(VenueIds.IsValid(Id), "id", "must be 1-64 characters of a-z, 0-9 and '-'");
        Require(!string.IsNullOrWhiteSpace(Name.Zh) || !string.IsNullOrWhiteSpace(Name.En), "name", "needs a Chinese or English name");
        Require(TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _), "timeZone", "is not a known time zone");
        Require(Coordinate.Point.IsValid, "coordinate", "latitude must lie in [-90, 90] and longitude in [-180, 180]");
        Require(Coordinate.AccuracyMeters >= 0, "coordinate.accuracyMeters", "must not be negative");
        Require(Hours.Open <= Hours.LastEntry && Hours.LastEntry <= Hours.Close, "hours", "must satisfy open <= lastEntry <= close");
        Require(Limits.SlotMinutes is >= 10 and <= 720, "slotMinutes", "must be between 10 and 720");
        Require(Limits.SlotCapacity is >= 1 and <= 100_000, "slotCapacity", "must be between 1 and 100000");
        Require(Limits.DailyCap is >= 1 and <= 1_000_000, "dailyCap", "must be between 1 and 1000000");
        Require(Limits.GroupMin >= 1 && Limits.GroupMin <= Limits.GroupMax, "groupMin", "must be at least 1 and not above groupMax");
        Require(Limits.GroupMax <= Limits.SlotCapacity, "groupMax", "must not exceed slotCapacity");
        Require(Limits.LeadMinDays >= 0 && Limits.LeadMinDays <= Limits.LeadMaxDays && Limits.LeadMaxDays <= 366, "leadMinDays", "must satisfy 0 <= leadMinDays <= leadMaxDays <= 366");
        Require(Limits.UnitCapPerDay >= Limits.GroupMin, "unitCapPerDay", "must allow at least one group of groupMin");
        Require(VisitMinutes is >= 0 and <= 1440, "visitMinutes", "must be between 0 and 1440");
        Require(Resources.All(r => r.CapacityPerSlot >= 1 && VenueIds.IsValid(r.Id)), "resources", "each needs an id and a positive capacityPerSlot");
        return problems;
    }
}

/// <summary>Rules for venue identifiers, which also name grains and appear in URLs.</summary>
public static class VenueIds
{
    public static bool IsValid(string? id) =>
        id is { Length: >= 1 and <= 64 } && id.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '-');
}

using RedEducation.Domain.Venues;

namespace RedEducation.Testing;

/// <summary>Venues for tests: the real seed file, and small made-up venues with chosen limits.</summary>
public static class TestVenues
{
    private static readonly Lazy<IReadOnlyList<VenueProfile>> SeedFile = new(() =>
        VenueCatalogFile.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "geodata", "venues.geojson"))));

    public static IReadOnlyList<VenueProfile> Seeded => SeedFile.Value;

    public static VenueProfile Seed(string id) => Seeded.Single(v => v.Id == id);

    /// <summary>A venue open every day 09:00-17:00 with hourly slots (last entry 16:00) and the given limits.</summary>
    public static VenueProfile Sample(
        string id = "test-venue",
        int slotCapacity = 100,
        int dailyCap = 10_000,
        int groupMin = 1,
        int groupMax = 100,
        int leadMinDays = 0,
        int leadMaxDays = 60,
        int unitCapPerDay = 100_000,
        DayOfWeek[]? closedWeekdays = null,
        DayOverride[]? exceptions = null) =>
        new(
            id, "memorial", new LocalizedText("测试馆", "Test hall"), new LocalizedText("沈阳", "Shenyang"), LocalizedText.Empty,
            "Asia/Shanghai",
            new VenueCoordinate(new GeoPoint(41.8, 123.4), "test", "WGS84", 10, false),
            new DailyHours(new TimeOnly(9, 0), new TimeOnly(16, 0), new TimeOnly(17, 0)),
            closedWeekdays ?? [], exceptions ?? [],
            new BookingLimits(60, slotCapacity, dailyCap, groupMin, groupMax, leadMinDays, leadMaxDays, unitCapPerDay),
            90, [], LocalizedText.Empty, null, [], []);
}

/// <summary>Calendar helpers in the venues' zone.</summary>
public static class TestDates
{
    private static readonly TimeZoneInfo Shanghai = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    public static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Shanghai).DateTime);

    /// <summary>The first date at least <paramref name="daysAhead"/> days from today on which the venue is open.</summary>
    public static DateOnly NextOpen(VenueProfile venue, int daysAhead)
    {
        var date = Today.AddDays(daysAhead);
        while (!venue.IsOpenOn(date))
        {
            date = date.AddDays(1);
        }
        return date;
    }

    /// <summary>The first <paramref name="day"/> at least <paramref name="daysAhead"/> days from today (China time).</summary>
    public static DateOnly Next(DayOfWeek day, int daysAhead = 4)
    {
        var date = Today.AddDays(daysAhead);
        return date.AddDays(((int)day - (int)date.DayOfWeek + 7) % 7);
    }

    /// <summary>A date as the API writes it, yyyy-MM-dd.</summary>
    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first date at least <paramref name="daysAhead"/> days from today on which the venue is closed.</summary>
    public static DateOnly NextClosed(VenueProfile venue, int daysAhead)
    {
        var date = Today.AddDays(daysAhead);
        while (venue.IsOpenOn(date))
        {
            date = date.AddDays(1);
        }
        return date;
    }
}

/// <summary>A fresh directory removed at the end of the test.</summary>
public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("redu-test-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A process under test may still hold a file; the OS temp cleaner gets it later.
        }
    }
}

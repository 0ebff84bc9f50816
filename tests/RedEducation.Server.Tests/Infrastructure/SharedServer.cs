using RedEducation.Domain.Venues;
using RedEducation.Testing;

[assembly: AssemblyFixture(typeof(RedEducation.Server.Tests.Infrastructure.SharedServer))]

namespace RedEducation.Server.Tests.Infrastructure;

/// <summary>
/// The server most tests share. Nobody changes its venues' rules; instead every test that books takes venue-days no
/// other test uses, so tests can run side by side and still assert exact counts. Sign-in is rate limited per client
/// address (30 a minute, and every test client is 127.0.0.1): tests get their clients from <see cref="RedEducationServer.ClientForAsync"/>,
/// which signs each user in once, and only the sign-in tests themselves call the token route.
/// </summary>
public sealed class SharedServer : RedEducationServer
{
    /// <summary>The venue with the smallest slots (40 people), where one group can fill a slot.</summary>
    public const string SmallVenue = "dalian-industrial-society";

    private readonly VenueDays _days = new();

    /// <summary>A venue-day nobody else books, at <paramref name="venueId"/> or at any venue with the usual 3-30 day lead time.</summary>
    public VenueDay NextDay(string? venueId = null) => _days.Next(venueId);
}

/// <summary>An open day at a venue, within its booking window.</summary>
public sealed record VenueDay(string VenueId, DateOnly Date)
{
    public VenueProfile Venue => TestVenues.Seed(VenueId);

    public string DateText => Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The day's first slot as HH:mm.</summary>
    public string FirstSlot => Slot(0);

    /// <summary>The day's n-th slot (0-based) as HH:mm.</summary>
    public string Slot(int index) => Venue.DailySlots()[index].Start.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public override string ToString() => $"{VenueId}/{DateText}";
}

/// <summary>Hands out each (venue, date) once.</summary>
internal sealed class VenueDays
{
    // A day of margin at both ends of the 3..30 day window, so that midnight passing mid-run moves nothing out of it.
    private const int FirstOffset = 4;
    private const int LastOffset = 29;

    private readonly Lock _lock = new();
    private readonly HashSet<(string, DateOnly)> _taken = [];
    private readonly string[] _pool =
    [
        .. TestVenues.Seeded
            .Where(v => v.Id != SharedServer.SmallVenue && v.Limits.LeadMinDays < FirstOffset && v.Limits.LeadMaxDays > LastOffset)
            .Select(v => v.Id),
    ];
    private int _next;

    public VenueDay Next(string? venueId)
    {
        lock (_lock)
        {
            if (venueId is not null)
            {
                return TakeAt(venueId) ?? throw new InvalidOperationException($"no free day left at {venueId}");
            }
            for (var tried = 0; tried < _pool.Length; tried++)
            {
                var day = TakeAt(_pool[_next++ % _pool.Length]);
                if (day is not null)
                {
                    return day;
                }
            }
            throw new InvalidOperationException("every venue-day of the shared server is taken");
        }
    }

    private VenueDay? TakeAt(string venueId)
    {
        var venue = TestVenues.Seed(venueId);
        var last = TestDates.Today.AddDays(Math.Min(LastOffset, venue.Limits.LeadMaxDays - 1));
        for (var date = TestDates.NextOpen(venue, Math.Max(FirstOffset, venue.Limits.LeadMinDays + 1)); date <= last; date = TestDates.NextOpen(venue, date.DayNumber - TestDates.Today.DayNumber + 1))
        {
            if (_taken.Add((venueId, date)))
            {
                return new VenueDay(venueId, date);
            }
        }
        return null;
    }
}

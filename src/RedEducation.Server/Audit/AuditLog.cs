using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using RedEducation.Contracts;
using RedEducation.Domain.CheckIn;
using RedEducation.Domain.Venues;
using RedEducation.Server.Api;

namespace RedEducation.Server.Audit;

/// <summary>One entry as the audit API shows it; <see cref="Id"/> is stable, and newest-first order is by time, then id.</summary>
public sealed record AuditItem(string Id, DateTimeOffset Time, string Actor, string Role, string Action, string Target, string Summary);

public sealed record AuditPage(IReadOnlyList<AuditItem> Entries, string? Next);

/// <summary>Which entries: <see cref="From"/> to <see cref="To"/> inclusive, optionally one actor and one action (or action prefix).</summary>
public sealed record AuditQuery(DateTimeOffset From, DateTimeOffset To, string? Actor, string? Action, AuditCursor? Before, int Limit);

/// <summary>Where a page ended: the next page holds the entries after it in newest-first order.</summary>
public sealed record AuditCursor(long UtcTicks, string Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{UtcTicks.ToString(CultureInfo.InvariantCulture)}|{Id}"));

    public static AuditCursor? Decode(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 512 || !Base64Url.IsValid(text))
        {
            return null;
        }
        var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|', 2);
        return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) ? new AuditCursor(ticks, parts[1]) : null;
    }

    /// <summary>Whether <paramref name="item"/> comes after this cursor in newest-first order.</summary>
    public bool Precedes(AuditItem item) =>
        item.Time.UtcTicks < UtcTicks || (item.Time.UtcTicks == UtcTicks && string.CompareOrdinal(item.Id, Id) < 0);
}

/// <summary>
/// The audit log: administrators' changes are written to a grain per month (<see cref="IAuditGrain"/>); check-ins are
/// read from the check-in log each venue-day keeps anyway.
/// Why check-ins are not written here as well: the check-in grain already stores every scan, admitted or refused, online
/// or synced, with staff, desk, time of scan and time received, durably and in order. A second copy would double the
/// writes on the busiest path of the system (thousands of scans a second at the gates) and could disagree with the first
/// after a crash between the two writes. Reading the log where it is costs one grain call per venue-day of the range,
/// paid only by an administrator's audit query, which is why a query spans at most <see cref="MaxDays"/> days.
/// </summary>
public sealed class AuditLog(IGrainFactory grains, [FromKeyedServices(BusinessClock.Key)] TimeProvider clock)
{
    public const int MaxDays = 31;
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    /// <summary>
    /// An offline desk may upload scans up to 7 days old (TicketService), filed under the day they were scanned: a
    /// query reads that many days before its start to find scans received within it.
    /// </summary>
    private const int OfflineDays = 8;

    private static readonly string[] CheckInActions =
        [AuditActions.CheckInAdmit, AuditActions.CheckInRefuse, AuditActions.CheckInSyncAdmit, AuditActions.CheckInSyncRefuse];

    private static readonly JsonSerializerOptions SummaryJson = CreateSummaryJson();

    public DateTimeOffset Now => clock.GetUtcNow();

    /// <summary>Records a change made by <paramref name="user"/>; call it after the change is stored, so a refused change records nothing.</summary>
    public Task RecordAsync(ClaimsPrincipal user, string action, string target, string summary)
    {
        var entry = new AuditEntry(clock.GetUtcNow(), user.FindFirstValue("sub") ?? "unknown", user.FindFirstValue("role") ?? "", action, target, summary);
        return grains.GetGrain<IAuditGrain>(AuditActions.MonthKey(entry.Time)).RecordAsync(entry);
    }

    /// <summary>A request body as a one-line summary: its fields that were given, as JSON.</summary>
    public static string Summarize<T>(T body) => JsonSerializer.Serialize(body, SummaryJson);

    public async Task<AuditPage> QueryAsync(AuditQuery query)
    {
        var items = new List<AuditItem>();
        for (var month = new DateTimeOffset(query.From.UtcDateTime.Year, query.From.UtcDateTime.Month, 1, 0, 0, 0, TimeSpan.Zero); month <= query.To; month = month.AddMonths(1))
        {
            var key = AuditActions.MonthKey(month);
            var entries = await grains.GetGrain<IAuditGrain>(key).ListAsync();
            items.AddRange(entries.Select((e, i) => new AuditItem($"a:{key}:{i:D6}", e.Time, e.Actor, e.Role, e.Action, e.Target, e.Summary)));
        }
        if (query.Action is null || CheckInActions.Any(a => AuditActions.Matches(a, query.Action)))
        {
            items.AddRange(await CheckInsAsync(query));
        }
        var page = items
            .Where(i => i.Time >= query.From && i.Time <= query.To)
            .Where(i => query.Actor is null || i.Actor == query.Actor)
            .Where(i => query.Action is null || AuditActions.Matches(i.Action, query.Action))
            .Where(i => query.Before is null || query.Before.Precedes(i))
            .OrderByDescending(i => i.Time.UtcTicks).ThenByDescending(i => i.Id, StringComparer.Ordinal)
            .Take(query.Limit + 1)
            .ToList();
        var next = page.Count > query.Limit ? new AuditCursor(page[query.Limit - 1].Time.UtcTicks, page[query.Limit - 1].Id).Encode() : null;
        return new AuditPage(page.Take(query.Limit).ToList(), next);
    }

    private async Task<IEnumerable<AuditItem>> CheckInsAsync(AuditQuery query)
    {
        var venueIds = await grains.GetGrain<ICatalogGrain>(Catalogs.Venues).ListAsync();
        var venues = (await Task.WhenAll(venueIds.Select(id => grains.GetGrain<IVenueGrain>(id).GetAsync()))).OfType<VenueProfile>();
        var days = venues.SelectMany(v => Days(v, query)).ToList();
        var logs = await Task.WhenAll(days.Select(async d => (Key: d, Log: await grains.GetGrain<ICheckInGrain>(d).GetLogAsync())));
        var scans = logs
            .SelectMany(l => l.Log.Select((e, i) => (Id: $"c:{l.Key}:{i:D6}", VenueDay: l.Key, Entry: e)))
            .Where(s => s.Entry.ReceivedAt >= query.From && s.Entry.ReceivedAt <= query.To && (query.Actor is null || s.Entry.Staff == query.Actor))
            .ToList();
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var staff in scans.Select(s => s.Entry.Staff).Distinct())
        {
            roles[staff] = (await grains.GetGrain<IAccountGrain>(staff).GetAsync())?.Role ?? "";
        }
        return scans.Select(s => Item(s.Id, s.VenueDay, s.Entry, roles[s.Entry.Staff]));
    }

    private static IEnumerable<string> Days(VenueProfile venue, AuditQuery query)
    {
        var last = venue.LocalDate(query.To).AddDays(1);
        for (var day = venue.LocalDate(query.From).AddDays(-OfflineDays); day <= last; day = day.AddDays(1))
        {
            yield return VenueDayKey.Of(venue.Id, day);
        }
    }

    private static AuditItem Item(string id, string venueDay, ScanEntry e, string role)
    {
        var admitted = e.Outcome is ScanOutcome.Admitted or ScanOutcome.Duplicate;
        var action = (e.Offline, admitted) switch
        {
            (false, true) => AuditActions.CheckInAdmit,
            (false, false) => AuditActions.CheckInRefuse,
            (true, true) => AuditActions.CheckInSyncAdmit,
            (true, false) => AuditActions.CheckInSyncRefuse,
        };
        var outcome = Problems.NameOf(e.Outcome) ?? e.Outcome.ToString().ToLowerInvariant();
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"{outcome} at {venueDay}, desk {e.Desk}: admitted {e.Admitted} of {e.Requested}{(e.Forced ? ", forced" : "")}, scanned {e.ScannedAt:O}");
        return new AuditItem(id, e.ReceivedAt, e.Staff, role, action, e.BookingId ?? venueDay, summary);
    }

    private static JsonSerializerOptions CreateSummaryJson()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            // The summary is read by people: Chinese names as they are, not as \u escapes. Characters that matter to
            // HTML are still escaped, and the summary reaches readers as a JSON string value, never as markup.
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All),
        };
        ApiJson.Configure(options);
        return options;
    }
}

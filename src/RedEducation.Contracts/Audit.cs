namespace RedEducation.Contracts;

/// <summary>
/// The administrators' changes of one calendar month (UTC), as an append-only journal. Key: "yyyy-MM".
/// Check-ins are not written here: they are read from each venue-day's check-in log (see the server's AuditLog).
/// </summary>
public interface IAuditGrain : IGrainWithStringKey
{
    /// <summary>Appends an entry; returns once it is stored.</summary>
    Task RecordAsync(AuditEntry entry);

    /// <summary>The month's entries in the order they were recorded; each one's position is its stable sequence number.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAsync();
}

/// <summary>One change: when, who (user name and role at the time), what kind, to what, and a short human summary.</summary>
[GenerateSerializer, Immutable, Alias("redu.AuditEntry")]
public sealed record AuditEntry(
    [property: Id(0)] DateTimeOffset Time,
    [property: Id(1)] string Actor,
    [property: Id(2)] string Role,
    [property: Id(3)] string Action,
    [property: Id(4)] string Target,
    [property: Id(5)] string Summary);

/// <summary>The audit actions. A filter on "checkin" matches every "checkin.*" action, and so on for each prefix.</summary>
public static class AuditActions
{
    public const string VenueUpdate = "venue.update";
    public const string TicketKeyRotate = "ticket-key.rotate";
    public const string TicketKeyRetire = "ticket-key.retire";
    public const string AccountCreate = "account.create";
    public const string AccountUpdate = "account.update";
    public const string CheckInAdmit = "checkin.admit";
    public const string CheckInRefuse = "checkin.refuse";
    public const string CheckInSyncAdmit = "checkin.sync.admit";
    public const string CheckInSyncRefuse = "checkin.sync.refuse";

    public static string MonthKey(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="action"/> is <paramref name="filter"/> or one of its dotted sub-actions.</summary>
    public static bool Matches(string action, string filter) =>
        action == filter || (action.StartsWith(filter, StringComparison.Ordinal) && action.Length > filter.Length && action[filter.Length] == '.');
}

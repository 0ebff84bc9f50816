using System.Text.Json.Serialization;

namespace RedEducation.Domain.CheckIn;

/// <summary>How a scan ended.</summary>
public enum ScanOutcome
{
    Admitted,
    /// <summary>The same nonce was seen before: nothing more is admitted and the first answer stands.</summary>
    Duplicate,
    OverHeadcount,
    InvalidCode,
    WrongVenue,
    WrongDate,
    OutsideWindow,
    Cancelled,
    Revoked,
    NotConfirmed,
}

/// <summary>How many of a booked group have come in.</summary>
public sealed class Arrival
{
    public required TimeOnly Slot { get; init; }
    [JsonInclude]
    public int Arrived { get; internal set; }
    /// <summary>People admitted beyond the headcount by desks that were offline and could not see each other.</summary>
    [JsonInclude]
    public int Forced { get; internal set; }
}

/// <summary>One scan as recorded for the venue's log: who, where, when scanned and when the server heard of it.</summary>
public sealed record ScanEntry(
    DateTimeOffset ScannedAt,
    DateTimeOffset ReceivedAt,
    string Desk,
    string Staff,
    string? BookingId,
    int Requested,
    int Admitted,
    ScanOutcome Outcome,
    bool Forced,
    bool Offline);

/// <summary>What an admission request asks: admit <see cref="Admit"/> people of a group of <see cref="Headcount"/>.</summary>
public sealed record AdmissionRequest(string BookingId, TimeOnly Slot, int Headcount, int Admit, string? Nonce, bool Offline);

/// <summary>The answer to an admission request.</summary>
public sealed record AdmissionResult(ScanOutcome Outcome, int Admitted, int Arrived, int Headcount, int Forced)
{
    public int Remaining => Math.Max(0, Headcount - Arrived);
}

/// <summary>
/// Arrivals at one venue on one day. Online, a desk may admit up to what remains of a group; asking for more admits
/// nobody. Offline desks cannot see each other, so scans they upload later are always kept: whatever exceeds the
/// headcount is recorded as forced, for staff to review, never dropped. A nonce admits once, online or offline.
/// </summary>
public sealed class ArrivalLedger
{
    public Dictionary<string, Arrival> Arrivals { get; init; } = [];
    /// <summary>Answers already given, by booking id and nonce.</summary>
    public Dictionary<string, AdmissionResult> Nonces { get; init; } = [];
    public List<ScanEntry> Log { get; init; } = [];

    public Arrival? Find(string bookingId) => Arrivals.GetValueOrDefault(bookingId);

    public AdmissionResult Admit(AdmissionRequest request)
    {
        var nonceKey = request.Nonce is null ? null : $"{request.BookingId}/{request.Nonce}";
        if (nonceKey is not null && Nonces.TryGetValue(nonceKey, out var earlier))
        {
            var now = Arrivals[request.BookingId];
            return earlier with { Outcome = ScanOutcome.Duplicate, Arrived = now.Arrived, Forced = now.Forced };
        }
        if (!Arrivals.TryGetValue(request.BookingId, out var arrival))
        {
            arrival = new Arrival { Slot = request.Slot };
            Arrivals.Add(request.BookingId, arrival);
        }
        var remaining = Math.Max(0, request.Headcount - arrival.Arrived);
        AdmissionResult result;
        if (request.Admit <= 0 || (request.Admit > remaining && !request.Offline))
        {
            result = new AdmissionResult(ScanOutcome.OverHeadcount, 0, arrival.Arrived, request.Headcount, arrival.Forced);
        }
        else
        {
            var forced = Math.Max(0, request.Admit - remaining);
            arrival.Arrived += request.Admit;
            arrival.Forced += forced;
            result = new AdmissionResult(ScanOutcome.Admitted, request.Admit, arrival.Arrived, request.Headcount, arrival.Forced);
        }
        if (nonceKey is not null && result.Outcome == ScanOutcome.Admitted)
        {
            Nonces[nonceKey] = result;
        }
        return result;
    }

    public void Record(ScanEntry entry) => Log.Add(entry);
}

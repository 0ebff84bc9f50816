using Microsoft.Extensions.DependencyInjection;
using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;
using RedEducation.Contracts;
using RedEducation.Domain.CheckIn;
using RedEducation.Domain.Tickets;
using RedEducation.Domain.Venues;

namespace RedEducation.Server.Tickets;

/// <summary>The "Tickets" configuration section: when a ticket admits, relative to its slot.</summary>
public sealed class TicketOptions
{
    public const string Section = "Tickets";

    /// <summary>Check-in opens this long before the slot starts.</summary>
    [Range(0, 720)]
    public int OpensMinutesBefore { get; set; } = 60;

    /// <summary>Check-in stays open this long after the slot ends, for late arrivals.</summary>
    [Range(0, 720)]
    public int ClosesMinutesAfterSlotEnd { get; set; } = 120;

    /// <summary>How far in the future an offline desk's clock may be before its scan times are refused.</summary>
    [Range(0, 60)]
    public int OfflineClockSkewMinutes { get; set; } = 5;
}

/// <summary>A scan as a desk submits it.</summary>
public sealed record Scan(string Code, int? Admit, string? Nonce, DateTimeOffset? ScannedAt, string Desk, string Staff, bool Offline);

/// <summary>The answer to a scan: the outcome, and the admission figures when the code reached a booking.</summary>
public sealed record ScanResult(ScanOutcome Outcome, string? BookingId, AdmissionResult? Admission);

/// <summary>Issues ticket codes for bookings and turns scans into admissions.</summary>
public sealed class TicketService(TicketKeyStore keys, IGrainFactory grains, IOptions<TicketOptions> options, [FromKeyedServices(BusinessClock.Key)] TimeProvider clock)
{
    public TicketClaims Claims(BookingView booking, VenueProfile venue) => new(
        booking.Id, booking.TicketSerial, TicketClaims.TagOf(venue.Id), booking.Date, booking.Slot, booking.Headcount,
        -options.Value.OpensMinutesBefore, venue.Limits.SlotMinutes + options.Value.ClosesMinutesAfterSlotEnd);

    public string Issue(BookingView booking, VenueProfile venue) => keys.Issue(Claims(booking, venue));

    public int KeyIdOf(string code) => keys.Verify(code).KeyId;

    /// <summary>
    /// Verifies the code (signature, venue, day, window) and, when it holds, admits at the venue-day's check-in grain.
    /// Online scans are judged at the server's time; offline scans at the time the desk scanned them.
    /// </summary>
    public async Task<ScanResult> ScanAsync(VenueProfile venue, Scan scan)
    {
        var now = clock.GetUtcNow();
        var at = scan.Offline && scan.ScannedAt is { } scanned ? scanned : now;
        var today = venue.LocalDate(at);
        var (status, claims, _) = keys.Verify(scan.Code);
        ScanOutcome? refusal = status != TicketCodeStatus.Valid ? ScanOutcome.InvalidCode
            : !claims!.IsFor(venue.Id) ? ScanOutcome.WrongVenue
            : claims.Date != today ? ScanOutcome.WrongDate
            : OutsideWindow(claims, venue, at) ? ScanOutcome.OutsideWindow
            : null;
        if (refusal is { } outcome)
        {
            await grains.GetGrain<ICheckInGrain>(VenueDayKey.Of(venue.Id, today)).RecordAsync(new ScanEntry(
                scan.ScannedAt ?? now, now, scan.Desk, scan.Staff, claims?.BookingId, scan.Admit ?? 0, 0, outcome, false, scan.Offline));
            return new ScanResult(outcome, claims?.BookingId, null);
        }
        var admission = await grains.GetGrain<ICheckInGrain>(VenueDayKey.Of(venue.Id, claims!.Date)).AdmitAsync(new AdmitCommand(
            claims.BookingId, claims.Serial, scan.Admit, scan.Nonce, scan.Desk, scan.Staff, scan.ScannedAt ?? now, scan.Offline));
        return new ScanResult(admission.Outcome, claims.BookingId, admission);
    }

    public bool ScanTimeAcceptable(DateTimeOffset scannedAt) =>
        scannedAt <= clock.GetUtcNow().AddMinutes(options.Value.OfflineClockSkewMinutes) && scannedAt >= clock.GetUtcNow().AddDays(-7);

    private static bool OutsideWindow(TicketClaims claims, VenueProfile venue, DateTimeOffset at)
    {
        var (opens, closes) = claims.Window(venue.Zone);
        return at < opens || at >= closes;
    }
}

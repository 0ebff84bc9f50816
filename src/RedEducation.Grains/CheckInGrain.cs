using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;
using RedEducation.Domain.CheckIn;

namespace RedEducation.Grains;

/// <summary>One change to a venue-day's arrival ledger, as journaled: an admission decided (replayed through
/// <see cref="ArrivalLedger.Admit"/>, which is deterministic) and the scan's log entry.</summary>
internal sealed record CheckInEvent(AdmissionRequest? Admission, ScanEntry Entry);

/// <summary>
/// Arrivals at one venue on one day. Reentrant with group commit like the venue-day: each admission is decided and
/// recorded with no await in between, so two desks scanning one group at the same moment never admit more than it holds.
/// The ledger grows with every scan (log and nonces), so it is stored as a journal of scans rather than rewritten whole
/// at each commit: at thousands of scans a second a full rewrite made every commit slower than the last.
/// </summary>
[Reentrant]
internal sealed class CheckInGrain(
    [FromKeyedServices(Stores.Main)] IGrainStorage storage,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock) : Grain, ICheckInGrain
{
    private DurableJournal<CheckInEvent> _journal = null!;

    private ArrivalLedger Ledger { get; } = new();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _journal = new DurableJournal<CheckInEvent>(storage, "checkin-journal", this.GetGrainId(), DeactivateOnIdle);
        await _journal.LoadAsync(Apply);
    }

    public async Task<AdmissionResult> AdmitAsync(AdmitCommand command)
    {
        var booking = await GrainFactory.GetGrain<IBookingGrain>(command.BookingId).GetAsync();
        _journal.EnsureUsable();
        var refusal = booking switch
        {
            null => ScanOutcome.Revoked,
            { Status: BookingStatus.Cancelled } => ScanOutcome.Cancelled,
            _ when booking.TicketSerial != command.TicketSerial => ScanOutcome.Revoked,
            { Status: not BookingStatus.Confirmed } => ScanOutcome.NotConfirmed,
            _ => ScanOutcome.Admitted,
        };
        AdmissionResult result;
        AdmissionRequest? admission = null;
        if (refusal != ScanOutcome.Admitted)
        {
            var arrived = Ledger.Find(command.BookingId);
            result = new AdmissionResult(refusal, 0, arrived?.Arrived ?? 0, booking?.Headcount ?? 0, arrived?.Forced ?? 0);
        }
        else
        {
            var admit = command.Admit ?? Math.Max(0, booking!.Headcount - (Ledger.Find(command.BookingId)?.Arrived ?? 0));
            admission = new AdmissionRequest(command.BookingId, booking!.Slot, booking.Headcount, admit, command.Nonce, command.Offline);
            result = Ledger.Admit(admission);
        }
        var entry = new ScanEntry(
            command.ScannedAt, clock.GetUtcNow(), command.Desk, command.Staff, command.BookingId, command.Admit ?? result.Admitted,
            result.Admitted, result.Outcome, command.Offline && result.Admitted > 0 && result.Forced > 0, command.Offline);
        Ledger.Record(entry);
        _journal.Append(new CheckInEvent(admission, entry));
        await _journal.DurableAsync();
        return result;
    }

    public async Task RecordAsync(ScanEntry entry)
    {
        _journal.EnsureUsable();
        var received = entry with { ReceivedAt = clock.GetUtcNow() };
        Ledger.Record(received);
        _journal.Append(new CheckInEvent(null, received));
        await _journal.DurableAsync();
    }

    public async Task<IReadOnlyList<ArrivalView>> GetArrivalsAsync()
    {
        await _journal.DurableAsync();
        return [.. Ledger.Arrivals.Select(a => new ArrivalView(a.Key, a.Value.Slot, a.Value.Arrived, a.Value.Forced))];
    }

    public async Task<IReadOnlyList<ScanEntry>> GetLogAsync()
    {
        await _journal.DurableAsync();
        return [.. Ledger.Log];
    }

    private void Apply(CheckInEvent change)
    {
        if (change.Admission is { } admission)
        {
            Ledger.Admit(admission);
        }
        Ledger.Record(change.Entry);
    }
}

using Microsoft.Extensions.DependencyInjection;
using RedEducation.Contracts;
using RedEducation.Domain.CheckIn;

namespace RedEducation.Grains;

/// <summary>
/// Arrivals at one venue on one day. Reentrant with group commit like the venue-day: each admission is decided and
/// recorded with no await in between, so two desks scanning one group at the same moment never admit more than it holds.
/// </summary>
[Reentrant]
internal sealed class CheckInGrain(
    [PersistentState("checkin", Stores.Main)] IPersistentState<ArrivalLedger> stored,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock) : Grain, ICheckInGrain
{
    private DurableState<ArrivalLedger> _ledger = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _ledger = new DurableState<ArrivalLedger>(stored, this);
        return Task.CompletedTask;
    }

    public async Task<AdmissionResult> AdmitAsync(AdmitCommand command)
    {
        var booking = await GrainFactory.GetGrain<IBookingGrain>(command.BookingId).GetAsync();
        _ledger.EnsureUsable();
        var refusal = booking switch
        {
            null => ScanOutcome.Revoked,
            { Status: BookingStatus.Cancelled } => ScanOutcome.Cancelled,
            _ when booking.TicketSerial != command.TicketSerial => ScanOutcome.Revoked,
            { Status: not BookingStatus.Confirmed } => ScanOutcome.NotConfirmed,
            _ => ScanOutcome.Admitted,
        };
        AdmissionResult result;
        if (refusal != ScanOutcome.Admitted)
        {
            var arrived = _ledger.State.Find(command.BookingId);
            result = new AdmissionResult(refusal, 0, arrived?.Arrived ?? 0, booking?.Headcount ?? 0, arrived?.Forced ?? 0);
        }
        else
        {
            var admit = command.Admit ?? Math.Max(0, booking!.Headcount - (_ledger.State.Find(command.BookingId)?.Arrived ?? 0));
            result = _ledger.State.Admit(new AdmissionRequest(
                command.BookingId, booking!.Slot, booking.Headcount, admit, command.Nonce, command.Offline));
        }
        _ledger.State.Record(new ScanEntry(
            command.ScannedAt, clock.GetUtcNow(), command.Desk, command.Staff, command.BookingId, command.Admit ?? result.Admitted,
            result.Admitted, result.Outcome, command.Offline && result.Admitted > 0 && result.Forced > 0, command.Offline));
        _ledger.Changed();
        await _ledger.DurableAsync();
        return result;
    }

    public async Task RecordAsync(ScanEntry entry)
    {
        _ledger.EnsureUsable();
        _ledger.State.Record(entry with { ReceivedAt = clock.GetUtcNow() });
        _ledger.Changed();
        await _ledger.DurableAsync();
    }

    public async Task<IReadOnlyList<ArrivalView>> GetArrivalsAsync()
    {
        await _ledger.DurableAsync();
        return [.. _ledger.State.Arrivals.Select(a => new ArrivalView(a.Key, a.Value.Slot, a.Value.Arrived, a.Value.Forced))];
    }

    public async Task<IReadOnlyList<ScanEntry>> GetLogAsync()
    {
        await _ledger.DurableAsync();
        return [.. _ledger.State.Log];
    }
}

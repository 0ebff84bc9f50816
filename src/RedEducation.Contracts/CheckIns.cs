using RedEducation.Domain.CheckIn;

namespace RedEducation.Contracts;

/// <summary>Arrivals and the scan log of one venue on one day. Key: "venueId/yyyy-MM-dd".</summary>
public interface ICheckInGrain : IGrainWithStringKey
{
    /// <summary>Admits people of a booking whose ticket has already been verified as signed for this venue and day.</summary>
    Task<AdmissionResult> AdmitAsync(AdmitCommand command);

    /// <summary>Records a scan refused before it reached a booking (bad code, wrong venue, wrong date, outside the window).</summary>
    Task RecordAsync(ScanEntry entry);

    Task<IReadOnlyList<ArrivalView>> GetArrivalsAsync();
    Task<IReadOnlyList<ScanEntry>> GetLogAsync();
}

/// <summary>Admit <see cref="Admit"/> people of a booking, or everyone not yet in when it is null.</summary>
[GenerateSerializer, Immutable, Alias("redu.AdmitCommand")]
public sealed record AdmitCommand(
    [property: Id(0)] string BookingId,
    [property: Id(1)] int TicketSerial,
    [property: Id(2)] int? Admit,
    [property: Id(3)] string? Nonce,
    [property: Id(4)] string Desk,
    [property: Id(5)] string Staff,
    [property: Id(6)] DateTimeOffset ScannedAt,
    [property: Id(7)] bool Offline);

[GenerateSerializer, Immutable, Alias("redu.ArrivalView")]
public sealed record ArrivalView(
    [property: Id(0)] string BookingId,
    [property: Id(1)] TimeOnly Slot,
    [property: Id(2)] int Arrived,
    [property: Id(3)] int Forced);

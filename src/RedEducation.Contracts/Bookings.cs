using RedEducation.Domain.Booking;

namespace RedEducation.Contracts;

/// <summary>One group booking. Key: the booking id, derived from the unit and its idempotency key.</summary>
public interface IBookingGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the booking, or returns it unchanged when this key already made it with the same request. New bookings are
    /// made through <see cref="IUnitGrain.CreateBookingAsync"/>, which asks here only for ids it has seen before.
    /// </summary>
    Task<BookingResult> CreateAsync(NewBooking request);

    Task<BookingView?> GetAsync();
    Task<BookingResult> ResizeAsync(int headcount);
    Task<BookingResult> CancelAsync();

    /// <summary>Moves the booking to another date or slot of the same venue, or leaves it as it was.</summary>
    Task<BookingResult> RescheduleAsync(DateOnly newDate, TimeOnly newSlot);
}

/// <summary>A work unit's bookings, and the way every new one is made. Key: the unit id.</summary>
public interface IUnitGrain : IGrainWithStringKey
{
    /// <summary>
    /// Creates the unit's booking <paramref name="bookingId"/> (see <see cref="BookingIds.From"/>), or returns it unchanged
    /// when that key already made it with the same request.
    /// </summary>
    Task<BookingResult> CreateBookingAsync(string bookingId, NewBooking request);

    Task<IReadOnlyList<string>> GetBookingIdsAsync();
}

[GenerateSerializer, Immutable, Alias("redu.NewBooking")]
public sealed record NewBooking(
    [property: Id(0)] string UnitId,
    [property: Id(1)] string VenueId,
    [property: Id(2)] DateOnly Date,
    [property: Id(3)] TimeOnly Slot,
    [property: Id(4)] int Headcount,
    [property: Id(5)] string ContactName,
    [property: Id(6)] string ContactPhone,
    [property: Id(7)] bool JoinWaitlist);

[GenerateSerializer, Alias("redu.BookingStatus")]
public enum BookingStatus
{
    /// <summary>Recorded, but its venue-day has not placed it (a request that failed part-way and was not retried).</summary>
    Pending,
    Confirmed,
    Waitlisted,
    Cancelled,
}

[GenerateSerializer, Immutable, Alias("redu.BookingView")]
public sealed record BookingView(
    [property: Id(0)] string Id,
    [property: Id(1)] string UnitId,
    [property: Id(2)] string VenueId,
    [property: Id(3)] DateOnly Date,
    [property: Id(4)] TimeOnly Slot,
    [property: Id(5)] int Headcount,
    [property: Id(6)] BookingStatus Status,
    [property: Id(7)] int WaitlistPosition,
    [property: Id(8)] string ContactName,
    [property: Id(9)] string ContactPhone,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] int TicketSerial);

/// <summary>The outcome of a booking command: the booking as it now stands, or why nothing changed.</summary>
[GenerateSerializer, Immutable, Alias("redu.BookingResult")]
public sealed record BookingResult(
    [property: Id(0)] BookingView? Booking,
    [property: Id(1)] BookingFailure Failure,
    [property: Id(2)] Refusal Refusal,
    [property: Id(3)] bool Created)
{
    public static BookingResult Ok(BookingView booking, bool created = false) => new(booking, BookingFailure.None, Refusal.None, created);
    public static BookingResult Refused(Refusal refusal) => new(null, BookingFailure.Refused, refusal, false);
    public static BookingResult Fail(BookingFailure failure) => new(null, failure, Refusal.None, false);
}

[GenerateSerializer, Alias("redu.BookingFailure")]
public enum BookingFailure
{
    None,
    /// <summary>A booking rule or capacity said no; see the refusal.</summary>
    Refused,
    NotFound,
    UnknownVenue,
    /// <summary>The idempotency key was used before with a different request.</summary>
    KeyReused,
    /// <summary>The booking is cancelled and can no longer change.</summary>
    Cancelled,
}

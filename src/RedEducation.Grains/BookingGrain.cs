using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;

namespace RedEducation.Grains;

internal sealed class BookingState
{
    public NewBooking? Request { get; set; }
    public DateOnly Date { get; set; }
    public TimeOnly Slot { get; set; }
    /// <summary>How many times the booking was moved; names its current placement.</summary>
    public int Generation { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>Which issue of the ticket is current: every resize or move makes a new code and revokes the old ones.</summary>
    public int TicketSerial { get; set; }
    /// <summary>A move under way: set before the new placement is made, cleared once the old one is cancelled.</summary>
    public PendingMove? Move { get; set; }

    /// <summary>The record of a booking as first placed.</summary>
    public static BookingState Created(NewBooking request, DateTimeOffset createdAt) =>
        new() { Request = request, Date = request.Date, Slot = request.Slot, CreatedAt = createdAt };

    /// <summary>The booking <paramref name="id"/> as its placement (null: not placed) shows it.</summary>
    public BookingView View(string id, PlacementView? placement)
    {
        var request = Request!;
        var status = placement?.Status switch
        {
            PlacementStatus.Confirmed => BookingStatus.Confirmed,
            PlacementStatus.Waitlisted => BookingStatus.Waitlisted,
            PlacementStatus.Cancelled => BookingStatus.Cancelled,
            _ => BookingStatus.Pending,
        };
        return new BookingView(
            id, request.UnitId, request.VenueId, Date, Slot, placement?.Headcount ?? request.Headcount, status,
            placement?.WaitlistPosition ?? 0, request.ContactName, request.ContactPhone, CreatedAt, TicketSerial);
    }
}

internal sealed record PendingMove(DateOnly Date, TimeOnly Slot);

/// <summary>
/// A group booking's identity and contact; its capacity lives in the venue-day grain, which is asked for the status.
/// A new booking's record is stored by its venue-day, in the commit that places it, so every placement has a booking
/// behind it and a refused booking stores nothing. The grain keeps its stored state by hand, not as an
/// <see cref="IPersistentState{TState}"/>, because a row written by the venue-day leaves it without the row's version.
/// </summary>
internal sealed class BookingGrain(
    [FromKeyedServices(Stores.Main)] IGrainStorage storage,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock) : Grain, IBookingGrain
{
    public const string StateName = "booking";

    private readonly GrainState<BookingState> _stored = new(new BookingState());

    /// <summary>Set when the venue-day stored this grain's row: it is read back before the grain changes it.</summary>
    private bool _versionUnknown;

    // Never null: the storage assigns a state only when it read one, and this one starts as a new BookingState.
    private BookingState State => _stored.State!;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await storage.ReadStateAsync(StateName, this.GetGrainId(), _stored);
        if (State.Move is not null)
        {
            await FinishMoveAsync();
        }
    }

    public async Task<BookingResult> CreateAsync(NewBooking request)
    {
        if (State.Request is { } existing)
        {
            if (existing != request)
            {
                return BookingResult.Fail(BookingFailure.KeyReused);
            }
            // Stored by an earlier attempt: the unit sends a key here only when it knows the booking, from its index or
            // its old list, so the index entry needs no repeating.
            var replay = await PlaceAsync(request);
            return replay.Accepted ? BookingResult.Ok(View(replay.Placement)) : BookingResult.Refused(replay.Refusal);
        }
        var (result, stored) = await PlaceNewAsync(GrainFactory, this.GetPrimaryKeyString(), request, clock.GetUtcNow(), DeactivateOnIdle);
        if (stored is null)
        {
            Missing();
            return result;
        }
        _stored.State = stored;
        _versionUnknown = true;
        return result;
    }

    /// <summary>
    /// Places a new booking: its venue-day decides and, only if it places the group, stores the booking's record with the
    /// placement, so a refusal in a booking rush costs no write. Returns the record as stored, if it was.
    /// </summary>
    /// <param name="uncertain">Called when the call fails: the venue-day may still have stored the booking (a call that
    /// timed out, say), so whoever keeps the answer must not trust that it was not.</param>
    internal static async Task<(BookingResult Result, BookingState? Stored)> PlaceNewAsync(
        IGrainFactory grains, string bookingId, NewBooking request, DateTimeOffset now, Action uncertain)
    {
        var created = BookingState.Created(request, now);
        PlacementResult placed;
        try
        {
            placed = await grains.GetGrain<IVenueDayGrain>(VenueDayKey.Of(request.VenueId, request.Date))
                .PlaceNewBookingAsync(bookingId, request, created.CreatedAt);
        }
        catch
        {
            uncertain();
            throw;
        }
        return placed switch
        {
            { Refusal: Refusal.NotFound } => (BookingResult.Fail(BookingFailure.UnknownVenue), null),
            { Accepted: false } => (BookingResult.Refused(placed.Refusal), null),
            _ => (BookingResult.Ok(created.View(bookingId, placed.Placement), created: true), created),
        };
    }

    // Reads interleave with each other (never with a change): every check-in of a group asks its booking, and one at a
    // time, each waiting for the venue-day's answer, made a single large group a queue at 2,000 scans/s.
    [ReadOnly]
    public Task<BookingView?> GetAsync() => Missing() ? Task.FromResult<BookingView?>(null) : ViewAsync();

    public async Task<BookingResult> ResizeAsync(int headcount)
    {
        await ReadBackAsync();
        if (Missing())
        {
            return BookingResult.Fail(BookingFailure.NotFound);
        }
        var result = await Day(State.Date).ResizeAsync(PlacementId, headcount);
        if (result.Accepted)
        {
            State.TicketSerial++;
            await WriteAsync();
        }
        return await ResultAsync(result);
    }

    public async Task<BookingResult> CancelAsync()
    {
        if (Missing())
        {
            return BookingResult.Fail(BookingFailure.NotFound);
        }
        var result = await Day(State.Date).CancelAsync(PlacementId);
        return await ResultAsync(result);
    }

    public async Task<BookingResult> RescheduleAsync(DateOnly newDate, TimeOnly newSlot)
    {
        await ReadBackAsync();
        if (Missing() || await ViewAsync() is not { } current)
        {
            return BookingResult.Fail(BookingFailure.NotFound);
        }
        if (current.Status == BookingStatus.Cancelled)
        {
            return BookingResult.Fail(BookingFailure.Cancelled);
        }
        if (newDate == State.Date && newSlot == State.Slot)
        {
            return BookingResult.Ok(current);
        }

        State.Move = new PendingMove(newDate, newSlot);
        await WriteAsync();
        var request = State.Request!;
        // Within the same day the new placement replaces the old one in one step, so the group is not counted twice
        // against the slot, the daily cap or its unit's cap while it moves.
        var placed = await Day(newDate).PlaceAsync(new PlacementRequest(
            BookingIds.Placement(this.GetPrimaryKeyString(), State.Generation + 1), request.UnitId, newSlot, current.Headcount, JoinWaitlist: false,
            Replaces: newDate == State.Date ? PlacementId : null));
        if (!placed.Accepted)
        {
            State.Move = null;
            await WriteAsync();
            return BookingResult.Refused(placed.Refusal);
        }
        await FinishMoveAsync();
        return BookingResult.Ok((await ViewAsync())!);
    }

    /// <summary>
    /// Completes or abandons a move: when the new placement exists the old one is cancelled and the booking points to
    /// the new one; otherwise the booking stays where it was. Safe to repeat after a crash at any step.
    /// </summary>
    private async Task FinishMoveAsync()
    {
        var move = State.Move!;
        var next = BookingIds.Placement(this.GetPrimaryKeyString(), State.Generation + 1);
        if (await Day(move.Date).GetPlacementAsync(next) is { Status: not PlacementStatus.Cancelled })
        {
            await Day(State.Date).CancelAsync(PlacementId);
            State.Date = move.Date;
            State.Slot = move.Slot;
            State.Generation++;
            State.TicketSerial++;
        }
        State.Move = null;
        await WriteAsync();
    }

    /// <summary>
    /// True when no booking is stored here; such an activation deactivates once idle. New bookings are made through the
    /// unit grain and their venue-day, which store the record without activating this grain, so an empty state kept in
    /// memory would soon be wrong.
    /// </summary>
    private bool Missing()
    {
        if (State.Request is not null)
        {
            return false;
        }
        DeactivateOnIdle();
        return true;
    }

    /// <summary>
    /// Before a change of the grain's own: when the venue-day wrote the row, reads it back (its version, and the record as
    /// stored, which an earlier attempt of the same booking may have written), so the change applies to what is stored.
    /// </summary>
    private async Task ReadBackAsync()
    {
        if (_versionUnknown)
        {
            await storage.ReadStateAsync(StateName, this.GetGrainId(), _stored);
            _versionUnknown = false;
        }
    }

    private Task WriteAsync() => storage.WriteStateAsync(StateName, this.GetGrainId(), _stored);

    private Task<PlacementResult> PlaceAsync(NewBooking request) =>
        Day(State.Date).PlaceAsync(new PlacementRequest(PlacementId, request.UnitId, State.Slot, request.Headcount, request.JoinWaitlist));

    private async Task<BookingResult> ResultAsync(PlacementResult result) =>
        result.Refusal switch
        {
            Refusal.None => BookingResult.Ok(result.Placement is { } placement ? View(placement) : (await ViewAsync())!),
            Refusal.AlreadyCancelled => BookingResult.Fail(BookingFailure.Cancelled),
            Refusal.NotFound => BookingResult.Fail(BookingFailure.NotFound),
            _ => BookingResult.Refused(result.Refusal),
        };

    private async Task<BookingView?> ViewAsync() =>
        State.Request is null ? null : View(await Day(State.Date).GetPlacementAsync(PlacementId));

    private BookingView View(PlacementView? placement) => State.View(this.GetPrimaryKeyString(), placement);

    private string PlacementId => BookingIds.Placement(this.GetPrimaryKeyString(), State.Generation);

    private IVenueDayGrain Day(DateOnly date) =>
        GrainFactory.GetGrain<IVenueDayGrain>(VenueDayKey.Of(State.Request!.VenueId, date));
}

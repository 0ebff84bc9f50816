using Microsoft.Extensions.DependencyInjection;
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
}

internal sealed record PendingMove(DateOnly Date, TimeOnly Slot);

/// <summary>
/// A group booking's identity and contact; its capacity lives in the venue-day grain, which is asked for the status.
/// The booking is stored before its venue-day places it, so every placement has a booking behind it and a crash leaves
/// at worst a pending booking that holds no capacity.
/// </summary>
internal sealed class BookingGrain(
    [PersistentState("booking", Stores.Main)] IPersistentState<BookingState> state,
    [FromKeyedServices(BusinessClock.Key)] TimeProvider clock) : Grain, IBookingGrain
{
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Move is not null)
        {
            await FinishMoveAsync();
        }
    }

    public async Task<BookingResult> CreateAsync(NewBooking request)
    {
        if (state.State.Request is { } existing)
        {
            if (existing != request)
            {
                return BookingResult.Fail(BookingFailure.KeyReused);
            }
            // The first attempt stores the booking and its unit's list entry in parallel, so a crash can keep the one
            // without the other: repeat the (idempotent) list entry before placing, or the unit never sees this booking.
            await GrainFactory.GetGrain<IUnitGrain>(request.UnitId).AddBookingAsync(this.GetPrimaryKeyString());
            var replay = await PlaceAsync(request);
            return replay.Accepted ? BookingResult.Ok(View(replay.Placement)) : BookingResult.Refused(replay.Refusal);
        }
        // Most refusals (full slot, closed day, lead time) are known before anything is stored: ask first, so that a
        // refusal in a booking rush costs no write. The placement below decides again, as things may change meanwhile.
        var preview = await GrainFactory.GetGrain<IVenueDayGrain>(VenueDayKey.Of(request.VenueId, request.Date))
            .PreviewAsync(new PlacementRequest(this.GetPrimaryKeyString(), request.UnitId, request.Slot, request.Headcount, request.JoinWaitlist));
        if (preview == Refusal.NotFound)
        {
            return BookingResult.Fail(BookingFailure.UnknownVenue);
        }
        if (preview != Refusal.None)
        {
            return BookingResult.Refused(preview);
        }

        state.State.Request = request;
        state.State.Date = request.Date;
        state.State.Slot = request.Slot;
        state.State.CreatedAt = clock.GetUtcNow();
        await Task.WhenAll(state.WriteStateAsync(), GrainFactory.GetGrain<IUnitGrain>(request.UnitId).AddBookingAsync(this.GetPrimaryKeyString()));

        var placed = await PlaceAsync(request);
        if (!placed.Accepted)
        {
            await state.ClearStateAsync();
            state.State = new BookingState();
            return BookingResult.Refused(placed.Refusal);
        }
        return BookingResult.Ok(View(placed.Placement), created: true);
    }

    // Reads interleave with each other (never with a change): every check-in of a group asks its booking, and one at a
    // time, each waiting for the venue-day's answer, made a single large group a queue at 2,000 scans/s.
    [ReadOnly]
    public Task<BookingView?> GetAsync() => ViewAsync();

    public async Task<BookingResult> ResizeAsync(int headcount)
    {
        if (state.State.Request is null)
        {
            return BookingResult.Fail(BookingFailure.NotFound);
        }
        var result = await Day(state.State.Date).ResizeAsync(PlacementId, headcount);
        if (result.Accepted)
        {
            state.State.TicketSerial++;
            await state.WriteStateAsync();
        }
        return await ResultAsync(result);
    }

    public async Task<BookingResult> CancelAsync()
    {
        if (state.State.Request is null)
        {
            return BookingResult.Fail(BookingFailure.NotFound);
        }
        var result = await Day(state.State.Date).CancelAsync(PlacementId);
        return await ResultAsync(result);
    }

    public async Task<BookingResult> RescheduleAsync(DateOnly newDate, TimeOnly newSlot)
    {
        var current = await ViewAsync();
        if (current is null)
        {
            return BookingResult.Fail(BookingFailure.NotFound);
        }
        if (current.Status == BookingStatus.Cancelled)
        {
            return BookingResult.Fail(BookingFailure.Cancelled);
        }
        if (newDate == state.State.Date && newSlot == state.State.Slot)
        {
            return BookingResult.Ok(current);
        }

        state.State.Move = new PendingMove(newDate, newSlot);
        await state.WriteStateAsync();
        var request = state.State.Request!;
        // Within the same day the new placement replaces the old one in one step, so the group is not counted twice
        // against the slot, the daily cap or its unit's cap while it moves.
        var placed = await Day(newDate).PlaceAsync(new PlacementRequest(
            BookingIds.Placement(this.GetPrimaryKeyString(), state.State.Generation + 1), request.UnitId, newSlot, current.Headcount, JoinWaitlist: false,
            Replaces: newDate == state.State.Date ? PlacementId : null));
        if (!placed.Accepted)
        {
            state.State.Move = null;
            await state.WriteStateAsync();
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
        var move = state.State.Move!;
        var next = BookingIds.Placement(this.GetPrimaryKeyString(), state.State.Generation + 1);
        if (await Day(move.Date).GetPlacementAsync(next) is { Status: not PlacementStatus.Cancelled })
        {
            await Day(state.State.Date).CancelAsync(PlacementId);
            state.State.Date = move.Date;
            state.State.Slot = move.Slot;
            state.State.Generation++;
            state.State.TicketSerial++;
        }
        state.State.Move = null;
        await state.WriteStateAsync();
    }

    private Task<PlacementResult> PlaceAsync(NewBooking request) =>
        Day(state.State.Date).PlaceAsync(new PlacementRequest(PlacementId, request.UnitId, state.State.Slot, request.Headcount, request.JoinWaitlist));

    private async Task<BookingResult> ResultAsync(PlacementResult result) =>
        result.Refusal switch
        {
            Refusal.None => BookingResult.Ok(result.Placement is { } placement ? View(placement) : (await ViewAsync())!),
            Refusal.AlreadyCancelled => BookingResult.Fail(BookingFailure.Cancelled),
            Refusal.NotFound => BookingResult.Fail(BookingFailure.NotFound),
            _ => BookingResult.Refused(result.Refusal),
        };

    private async Task<BookingView?> ViewAsync() =>
        state.State.Request is null ? null : View(await Day(state.State.Date).GetPlacementAsync(PlacementId));

    /// <summary>The booking as its placement (null: not placed) shows it.</summary>
    private BookingView View(PlacementView? placement)
    {
        var request = state.State.Request!;
        var status = placement?.Status switch
        {
            PlacementStatus.Confirmed => BookingStatus.Confirmed,
            PlacementStatus.Waitlisted => BookingStatus.Waitlisted,
            PlacementStatus.Cancelled => BookingStatus.Cancelled,
            _ => BookingStatus.Pending,
        };
        return new BookingView(
            this.GetPrimaryKeyString(), request.UnitId, request.VenueId, state.State.Date, state.State.Slot,
            placement?.Headcount ?? request.Headcount, status, placement?.WaitlistPosition ?? 0,
            request.ContactName, request.ContactPhone, state.State.CreatedAt, state.State.TicketSerial);
    }

    private string PlacementId => BookingIds.Placement(this.GetPrimaryKeyString(), state.State.Generation);

    private IVenueDayGrain Day(DateOnly date) =>
        GrainFactory.GetGrain<IVenueDayGrain>(VenueDayKey.Of(state.State.Request!.VenueId, date));
}

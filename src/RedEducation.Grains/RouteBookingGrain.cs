using Microsoft.Extensions.DependencyInjection;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;

namespace RedEducation.Grains;

internal sealed class RouteBookingState
{
    public RouteBookingRequest? Request { get; set; }
    public RouteBookingStatus Status { get; set; }
    public int FailedStop { get; set; } = -1;
    public BookingResult? Failure { get; set; }
}

/// <summary>A hook to make a route booking fail after a given stop; only tests register one.</summary>
public interface IRouteBookingFaults
{
    void AfterStop(string attemptId, int stopIndex);
}

/// <summary>
/// Books a study day's stops one by one as ordinary bookings; if one is refused, cancels those already made (a saga
/// with compensation). The attempt is stored and entered in the in-flight catalog before the first stop is booked, so
/// after a crash the server finds it and undoes whatever part was booked: no half-booked route survives a restart.
/// </summary>
internal sealed class RouteBookingGrain(
    [PersistentState("routebooking", Stores.Main)] IPersistentState<RouteBookingState> state,
    IServiceProvider services) : Grain, IRouteBookingGrain
{
    private string Id => this.GetPrimaryKeyString();

    public async Task<RouteBookingResult> BookAsync(RouteBookingRequest request)
    {
        if (state.State.Request is { } existing)
        {
            if (!Same(existing, request))
            {
                return await ResultAsync(created: false, BookingResult.Fail(BookingFailure.KeyReused));
            }
            if (state.State.Status != RouteBookingStatus.InProgress)
            {
                return await ResultAsync(created: false);
            }
        }
        else
        {
            state.State.Request = request;
            state.State.Status = RouteBookingStatus.InProgress;
            await state.WriteStateAsync();
            await InFlight.AddAsync(Id);
        }

        var faults = services.GetService<IRouteBookingFaults>();
        for (var i = 0; i < request.Stops.Count; i++)
        {
            var stop = request.Stops[i];
            var result = await GrainFactory.GetGrain<IUnitGrain>(request.UnitId).CreateBookingAsync(StopId(i), new NewBooking(
                request.UnitId, stop.VenueId, stop.Date, stop.Slot, request.Headcount, request.ContactName, request.ContactPhone, JoinWaitlist: false));
            if (result.Booking is not { Status: BookingStatus.Confirmed })
            {
                await UndoAsync(i, result);
                return await ResultAsync(created: true);
            }
            faults?.AfterStop(Id, i);
        }
        state.State.Status = RouteBookingStatus.Confirmed;
        await state.WriteStateAsync();
        await InFlight.RemoveAsync(Id);
        return await ResultAsync(created: true);
    }

    public async Task<RouteBookingResult?> GetAsync() => state.State.Request is null ? null : await ResultAsync(created: false);

    public async Task RecoverAsync()
    {
        if (state.State.Request is not null && state.State.Status == RouteBookingStatus.InProgress)
        {
            await UndoAsync(-1, null);
        }
        await InFlight.RemoveAsync(Id);
    }

    /// <summary>Cancels every stop booked so far (all of them when <paramref name="failedStop"/> is -1) and records the failure.</summary>
    private async Task UndoAsync(int failedStop, BookingResult? failure)
    {
        var stops = state.State.Request!.Stops.Count;
        for (var i = 0; i < stops; i++)
        {
            await Stop(i).CancelAsync(); // a stop never booked answers NotFound, which is fine
        }
        state.State.Status = RouteBookingStatus.Failed;
        state.State.FailedStop = failedStop;
        state.State.Failure = failure;
        await state.WriteStateAsync();
        await InFlight.RemoveAsync(Id);
    }

    private async Task<RouteBookingResult> ResultAsync(bool created, BookingResult? failure = null)
    {
        var request = state.State.Request!;
        var views = state.State.Status == RouteBookingStatus.Confirmed
            ? (await Task.WhenAll(Enumerable.Range(0, request.Stops.Count).Select(i => Stop(i).GetAsync()))).OfType<BookingView>().ToList()
            : [];
        return new RouteBookingResult(Id, state.State.Status, views, state.State.FailedStop, failure ?? state.State.Failure, created);
    }

    private static bool Same(RouteBookingRequest a, RouteBookingRequest b) =>
        a.UnitId == b.UnitId && a.Headcount == b.Headcount && a.ContactName == b.ContactName && a.ContactPhone == b.ContactPhone
        && a.Stops.SequenceEqual(b.Stops);

    private string StopId(int index) => BookingIds.From(state.State.Request!.UnitId, $"{Id}#{index}");

    private IBookingGrain Stop(int index) => GrainFactory.GetGrain<IBookingGrain>(StopId(index));

    private ICatalogGrain InFlight => GrainFactory.GetGrain<ICatalogGrain>(Catalogs.RouteBookingsInFlight);
}

using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

public sealed class RouteBookingGrainTests(ClusterFixture fixture)
{
    /// <summary>Three venues and a day visiting them; <paramref name="takenAtThird"/> people already fill the third stop's 40-place slot.</summary>
    private async Task<(RouteBookingRequest Request, string[] VenueIds, DateOnly Date)> DayOfThreeAsync(int takenAtThird = 0)
    {
        var a = await fixture.AddVenueAsync(TestVenues.Sample("route-a"));
        var b = await fixture.AddVenueAsync(TestVenues.Sample("route-b"));
        var c = await fixture.AddVenueAsync(TestVenues.Sample("route-c", slotCapacity: 40, groupMax: 40));
        var date = TestDates.NextOpen(a, 3);
        if (takenAtThird > 0)
        {
            await new BookingHandle(fixture.Client, BookingIds.From("unit-other", Guid.NewGuid().ToString()))
                .CreateAsync(new NewBooking("unit-other", c.Id, date, new TimeOnly(14, 0), takenAtThird, "钱", "13600000000", false));
        }
        var request = new RouteBookingRequest("unit-r",
            [new RouteStopRequest(a.Id, date, new TimeOnly(9, 0)), new RouteStopRequest(b.Id, date, new TimeOnly(11, 0)), new RouteStopRequest(c.Id, date, new TimeOnly(14, 0))],
            30, "赵老师", "13700000000");
        return (request, [a.Id, b.Id, c.Id], date);
    }

    private async Task<int> BookedAsync(string venueId, DateOnly date, int hour) =>
        (await fixture.Client.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venueId, date)).GetAvailabilityAsync()).Slots.Single(s => s.Start.Hour == hour).Booked;

    private IRouteBookingGrain NewAttempt() => fixture.Client.GetGrain<IRouteBookingGrain>(BookingIds.From("unit-r", Guid.NewGuid().ToString()));

    [Fact]
    public async Task BookAsync_EveryStopHasRoom_ConfirmsAllStops()
    {
        var (request, venues, date) = await DayOfThreeAsync();

        var result = await NewAttempt().BookAsync(request);

        Assert.Equal(RouteBookingStatus.Confirmed, result.Status);
        Assert.Equal(3, result.Bookings.Count);
        Assert.All(result.Bookings, b => Assert.Equal(BookingStatus.Confirmed, b.Status));
        Assert.Equal(30, await BookedAsync(venues[2], date, 14));
    }

    [Fact]
    public async Task BookAsync_LastStopFull_NothingStaysBooked()
    {
        var (request, venues, date) = await DayOfThreeAsync(takenAtThird: 20);

        var result = await NewAttempt().BookAsync(request);

        Assert.Equal(RouteBookingStatus.Failed, result.Status);
        Assert.Equal(2, result.FailedStop);
        Assert.Equal(Refusal.SlotFull, result.Failure!.Refusal);
        Assert.Equal(0, await BookedAsync(venues[0], date, 9));
        Assert.Equal(0, await BookedAsync(venues[1], date, 11));
    }

    [Fact]
    public async Task BookAsync_SameAttemptAgain_ReturnsTheSameBookings()
    {
        var (request, venues, date) = await DayOfThreeAsync();
        var attempt = NewAttempt();

        var first = await attempt.BookAsync(request);
        var again = await attempt.BookAsync(request);

        Assert.Equal(first.Bookings.Select(b => b.Id), again.Bookings.Select(b => b.Id));
        Assert.False(again.Created);
        Assert.Equal(30, await BookedAsync(venues[0], date, 9));
    }

    [Fact]
    public async Task RecoverAsync_AfterACrashPartWay_UndoesTheStopsAlreadyBooked()
    {
        var (request, venues, date) = await DayOfThreeAsync();
        var attempt = NewAttempt();
        fixture.Faults.FailAfter(attempt.GetPrimaryKeyString(), 1);

        await Assert.ThrowsAnyAsync<Exception>(() => attempt.BookAsync(request));
        Assert.Equal(30, await BookedAsync(venues[1], date, 11)); // half-booked until recovery
        Assert.Contains(attempt.GetPrimaryKeyString(), await fixture.Client.GetGrain<ICatalogGrain>(Catalogs.RouteBookingsInFlight).ListAsync());

        await fixture.Cluster.DeactivateAsync(attempt);
        foreach (var id in await fixture.Client.GetGrain<ICatalogGrain>(Catalogs.RouteBookingsInFlight).ListAsync())
        {
            await fixture.Client.GetGrain<IRouteBookingGrain>(id).RecoverAsync();
        }

        Assert.Equal(0, await BookedAsync(venues[0], date, 9));
        Assert.Equal(0, await BookedAsync(venues[1], date, 11));
        Assert.Equal(0, await BookedAsync(venues[2], date, 14));
        Assert.Equal(RouteBookingStatus.Failed, (await attempt.GetAsync())!.Status);
        Assert.DoesNotContain(attempt.GetPrimaryKeyString(), await fixture.Client.GetGrain<ICatalogGrain>(Catalogs.RouteBookingsInFlight).ListAsync());
    }
}

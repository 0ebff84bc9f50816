using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Storage;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

public sealed class UnitGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task GetBookingIdsAsync_ListStoredAsOneRowBeforeTheJournal_ListsOldAndNewBookingsOnce()
    {
        var unit = fixture.Client.GetGrain<IUnitGrain>($"unit-{Guid.NewGuid():N}");
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(Stores.Main);
        await storage.WriteStateAsync("unit", unit.GetGrainId(), new GrainState<UnitState>(new UnitState { BookingIds = ["bk-old-1", "bk-old-2"] }));

        await ((IGrainRows)storage).AddToIndexAsync(new GrainIndexEntry(unit.GetGrainId(), "bk-new-1"));
        await ((IGrainRows)storage).AddToIndexAsync(new GrainIndexEntry(unit.GetGrainId(), "bk-old-2"));

        Assert.Equal(["bk-old-1", "bk-old-2", "bk-new-1"], await unit.GetBookingIdsAsync());
    }

    [Fact]
    public async Task GetBookingIdsAsync_AfterReactivation_ListsEveryAddedBookingOnce()
    {
        var unit = fixture.Client.GetGrain<IUnitGrain>($"unit-{Guid.NewGuid():N}");
        var ids = Enumerable.Range(0, 30).Select(i => $"bk-{i:D3}").ToList();
        var rows = (IGrainRows)fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(Stores.Main);
        await Task.WhenAll(ids.Select(id => rows.AddToIndexAsync(new GrainIndexEntry(unit.GetGrainId(), id))));
        await rows.AddToIndexAsync(new GrainIndexEntry(unit.GetGrainId(), ids[0]));

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(ids, (await unit.GetBookingIdsAsync()).Order());
    }

    [Fact]
    public async Task CreateBookingAsync_SameKeyForAnotherDay_RefusedAsReusedKeyAndNothingBookedThere()
    {
        var (venue, first, second) = await VenueWithTwoDaysAsync();
        var unit = NewUnit();
        var id = BookingIds.From(unit, "key-1");
        var created = await Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, first, 20));

        var reused = await Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, second, 20));

        Assert.True(created.Created);
        Assert.Equal(BookingFailure.KeyReused, reused.Failure);
        Assert.Equal(20, await BookedAsync(venue.Id, first));
        Assert.Equal(0, await BookedAsync(venue.Id, second));
        Assert.Equal(first, (await fixture.Client.GetGrain<IBookingGrain>(id).GetAsync())!.Date);
    }

    [Fact]
    public async Task CreateBookingAsync_SameKeyManyTimesAtOnce_OneBookingCreatedAndCountedOnce()
    {
        var (venue, date, _) = await VenueWithTwoDaysAsync();
        var unit = NewUnit();
        var id = BookingIds.From(unit, "key-rush");

        var results = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, date, 7))));

        Assert.All(results, r => Assert.Equal((id, BookingStatus.Confirmed), (r.Booking!.Id, r.Booking.Status)));
        Assert.Single(results, r => r.Created);
        Assert.Equal(7, await BookedAsync(venue.Id, date));
        Assert.Equal([id], await Units(unit).GetBookingIdsAsync());
    }

    [Fact]
    public async Task CreateBookingAsync_AfterTheUnitIsReactivated_StillKnowsItsBookings()
    {
        var (venue, first, second) = await VenueWithTwoDaysAsync();
        var unit = NewUnit();
        var id = BookingIds.From(unit, "key-2");
        await Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, first, 20));

        await fixture.Cluster.DeactivateAsync(Units(unit));
        var again = await Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, first, 20));
        var reused = await Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, second, 20));

        Assert.Equal((BookingStatus.Confirmed, false), (again.Booking!.Status, again.Created));
        Assert.Equal(BookingFailure.KeyReused, reused.Failure);
        Assert.Equal((20, 0), (await BookedAsync(venue.Id, first), await BookedAsync(venue.Id, second)));
    }

    [Fact]
    public async Task CreateBookingAsync_BookingAskedForBeforeItWasMade_FoundOnceMade()
    {
        var (venue, date, _) = await VenueWithTwoDaysAsync();
        var unit = NewUnit();
        var id = BookingIds.From(unit, "key-3");
        var booking = fixture.Client.GetGrain<IBookingGrain>(id);
        Assert.Null(await booking.GetAsync());

        await Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, date, 9));

        Assert.Equal((BookingStatus.Confirmed, 9), ((await booking.GetAsync())!.Status, (await booking.GetAsync())!.Headcount));
        Assert.Equal(4, (await booking.ResizeAsync(4)).Booking!.Headcount);
    }

    [Fact]
    public async Task CreateBookingAsync_RefusedThenRetriedWithRoom_Confirmed()
    {
        var (venue, date, _) = await VenueWithTwoDaysAsync(slotCapacity: 10);
        var unit = NewUnit();
        var holder = await Units(unit).CreateBookingAsync(BookingIds.From(unit, "holder"), Request(unit, venue.Id, date, 10));
        var id = BookingIds.From(unit, "late");
        var refused = await Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, date, 5));

        await fixture.Client.GetGrain<IBookingGrain>(holder.Booking!.Id).CancelAsync();
        var retried = await Units(unit).CreateBookingAsync(id, Request(unit, venue.Id, date, 5));

        Assert.Equal(Refusal.SlotFull, refused.Refusal);
        Assert.Equal((BookingStatus.Confirmed, true), (retried.Booking!.Status, retried.Created));
        Assert.Equal(5, await BookedAsync(venue.Id, date));
    }

    private static string NewUnit() => $"unit-{Guid.NewGuid():N}"[..20];

    private IUnitGrain Units(string unit) => fixture.Client.GetGrain<IUnitGrain>(unit);

    private static NewBooking Request(string unit, string venueId, DateOnly date, int headcount) =>
        new(unit, venueId, date, new TimeOnly(10, 0), headcount, "张三", "13800000000", false);

    private async Task<(Domain.Venues.VenueProfile Venue, DateOnly First, DateOnly Second)> VenueWithTwoDaysAsync(int slotCapacity = 50)
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: slotCapacity));
        return (venue, TestDates.NextOpen(venue, 3), TestDates.NextOpen(venue, 5));
    }

    private async Task<int> BookedAsync(string venueId, DateOnly date) =>
        (await fixture.Client.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venueId, date)).GetAvailabilityAsync()).Slots.Single(s => s.Start == new TimeOnly(10, 0)).Booked;
}

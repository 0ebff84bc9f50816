using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

public sealed class BookingGrainTests(ClusterFixture fixture)
{
    private static NewBooking Request(string venueId, DateOnly date, int headcount = 10, bool waitlist = false, string unit = "unit-a", string slot = "10:00") =>
        new(unit, venueId, date, TimeOnly.Parse(slot, System.Globalization.CultureInfo.InvariantCulture), headcount, "张三", "13800000000", waitlist);

    private BookingHandle Booking(string unit = "unit-a") => new(fixture.Client, BookingIds.From(unit, Guid.NewGuid().ToString()));

    [Fact]
    public async Task CreateAsync_SlotHasRoom_ConfirmsAndCountsTheGroup()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 50));
        var date = TestDates.NextOpen(venue, 3);

        var result = await Booking().CreateAsync(Request(venue.Id, date, 20));

        Assert.Equal(BookingStatus.Confirmed, result.Booking!.Status);
        Assert.True(result.Created);
        var slot = (await fixture.Client.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venue.Id, date)).GetAvailabilityAsync()).Slots.Single(s => s.Start == new TimeOnly(10, 0));
        Assert.Equal(20, slot.Booked);
        Assert.Equal(30, slot.Remaining);
    }

    [Fact]
    public async Task CreateAsync_SameKeyTwice_ReturnsTheSameBookingAndCountsItOnce()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 50));
        var date = TestDates.NextOpen(venue, 3);
        var grain = Booking();

        var first = await grain.CreateAsync(Request(venue.Id, date, 20));
        var second = await grain.CreateAsync(Request(venue.Id, date, 20));

        Assert.Equal(first.Booking!.Id, second.Booking!.Id);
        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(20, (await Availability(venue.Id, date)).Slots.Single(s => s.Start == new TimeOnly(10, 0)).Booked);
    }

    [Fact]
    public async Task CreateAsync_SameKeyDifferentRequest_RefusedAndFirstBookingKept()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample());
        var date = TestDates.NextOpen(venue, 3);
        var grain = Booking();
        await grain.CreateAsync(Request(venue.Id, date, 20));

        var reused = await grain.CreateAsync(Request(venue.Id, date, 30));

        Assert.Equal(BookingFailure.KeyReused, reused.Failure);
        Assert.Equal(20, (await grain.GetAsync())!.Headcount);
    }

    [Fact]
    public async Task CreateAsync_SlotFull_RefusedAndLeavesNoBooking()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 30));
        var date = TestDates.NextOpen(venue, 3);
        await Booking().CreateAsync(Request(venue.Id, date, 25));
        var grain = Booking();

        var refused = await grain.CreateAsync(Request(venue.Id, date, 10));

        Assert.Equal(Refusal.SlotFull, refused.Refusal);
        Assert.Null(await grain.GetAsync());
    }

    [Fact]
    public async Task CreateAsync_Confirmed_ListedUnderItsUnitAndResizableAtOnceAndAfterReactivation()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 50));
        var date = TestDates.NextOpen(venue, 3);
        var unit = $"unit-{Guid.NewGuid():N}"[..20];
        var grain = Booking(unit);

        var created = await grain.CreateAsync(Request(venue.Id, date, 20, unit: unit));
        // The venue-day stored this booking's row: the grain's first write of its own must find the row's version.
        var resized = await grain.ResizeAsync(15);
        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);
        var resizedAgain = await grain.ResizeAsync(12);
        var reloaded = await grain.GetAsync();

        Assert.Equal([created.Booking!.Id], await fixture.Client.GetGrain<IUnitGrain>(unit).GetBookingIdsAsync());
        Assert.Equal(15, resized.Booking!.Headcount);
        Assert.Equal(12, resizedAgain.Booking!.Headcount);
        Assert.Equal((BookingStatus.Confirmed, 12, 2, "张三"), (reloaded!.Status, reloaded.Headcount, reloaded.TicketSerial, reloaded.ContactName));
    }

    [Fact]
    public async Task CreateAsync_RushOnASmallSlot_EveryRefusedBookingLeavesNothingAndEveryConfirmedOneIsListed()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 50));
        var date = TestDates.NextOpen(venue, 3);
        var unit = $"unit-{Guid.NewGuid():N}"[..20];
        var grains = Enumerable.Range(0, 40).Select(_ => Booking(unit)).ToList();

        // All at once: the venue-day decides them one by one and refuses those that no longer fit.
        var results = await Task.WhenAll(grains.Select(g => g.CreateAsync(Request(venue.Id, date, 5, unit: unit))));

        var confirmed = results.Where(r => r.Booking is { Status: BookingStatus.Confirmed }).Select(r => r.Booking!.Id).ToList();
        Assert.Equal(10, confirmed.Count);
        Assert.All(results.Where(r => r.Booking is null), r => Assert.Equal(Refusal.SlotFull, r.Refusal));
        Assert.Equal(confirmed.Order(), (await fixture.Client.GetGrain<IUnitGrain>(unit).GetBookingIdsAsync()).Order());
        for (var i = 0; i < grains.Count; i++)
        {
            Assert.Equal(results[i].Booking is null, await grains[i].GetAsync() is null);
        }
    }

    [Fact]
    public async Task CancelAsync_WithWaitlist_PromotesWaitingGroupsInOrder()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 30));
        var date = TestDates.NextOpen(venue, 3);
        var holder = Booking();
        await holder.CreateAsync(Request(venue.Id, date, 30));
        var first = Booking();
        var second = Booking();
        Assert.Equal(BookingStatus.Waitlisted, (await first.CreateAsync(Request(venue.Id, date, 20, waitlist: true))).Booking!.Status);
        var secondView = (await second.CreateAsync(Request(venue.Id, date, 20, waitlist: true))).Booking!;
        Assert.Equal(2, secondView.WaitlistPosition);

        await holder.CancelAsync();

        Assert.Equal(BookingStatus.Cancelled, (await holder.GetAsync())!.Status);
        Assert.Equal(BookingStatus.Confirmed, (await first.GetAsync())!.Status);
        var stillWaiting = (await second.GetAsync())!;
        Assert.Equal(BookingStatus.Waitlisted, stillWaiting.Status);
        Assert.Equal(1, stillWaiting.WaitlistPosition);
    }

    [Fact]
    public async Task ResizeAsync_ShrinkFreesRoom_PromotesWaitingGroup()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 30));
        var date = TestDates.NextOpen(venue, 3);
        var holder = Booking();
        await holder.CreateAsync(Request(venue.Id, date, 30));
        var waiting = Booking();
        await waiting.CreateAsync(Request(venue.Id, date, 10, waitlist: true));

        var resized = await holder.ResizeAsync(20);

        Assert.Equal(20, resized.Booking!.Headcount);
        Assert.Equal(BookingStatus.Confirmed, (await waiting.GetAsync())!.Status);
        Assert.Equal(0, (await Availability(venue.Id, date)).Slots.Single(s => s.Start == new TimeOnly(10, 0)).Remaining);
    }

    [Fact]
    public async Task ResizeAsync_GrowthDoesNotFit_RefusedAndHeadcountKept()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 30));
        var date = TestDates.NextOpen(venue, 3);
        var grain = Booking();
        await grain.CreateAsync(Request(venue.Id, date, 20));
        await Booking().CreateAsync(Request(venue.Id, date, 5));

        var refused = await grain.ResizeAsync(26);

        Assert.Equal(Refusal.SlotFull, refused.Refusal);
        Assert.Equal(20, (await grain.GetAsync())!.Headcount);
    }

    [Fact]
    public async Task RescheduleAsync_TargetHasRoom_MovesTheGroupAndFreesTheOldSlot()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 30));
        var date = TestDates.NextOpen(venue, 3);
        var later = TestDates.NextOpen(venue, 5);
        var grain = Booking();
        await grain.CreateAsync(Request(venue.Id, date, 20));

        var moved = await grain.RescheduleAsync(later, new TimeOnly(14, 0));

        Assert.Equal(later, moved.Booking!.Date);
        Assert.Equal(new TimeOnly(14, 0), moved.Booking.Slot);
        Assert.Equal(BookingStatus.Confirmed, moved.Booking.Status);
        Assert.Equal(0, (await Availability(venue.Id, date)).Slots.Single(s => s.Start == new TimeOnly(10, 0)).Booked);
        Assert.Equal(20, (await Availability(venue.Id, later)).Slots.Single(s => s.Start == new TimeOnly(14, 0)).Booked);
    }

    [Fact]
    public async Task RescheduleAsync_TargetFull_RefusedAndOldBookingIntact()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 30));
        var date = TestDates.NextOpen(venue, 3);
        var grain = Booking();
        await grain.CreateAsync(Request(venue.Id, date, 20));
        await Booking().CreateAsync(Request(venue.Id, date, 25, slot: "11:00"));

        var refused = await grain.RescheduleAsync(date, new TimeOnly(11, 0));

        Assert.Equal(Refusal.SlotFull, refused.Refusal);
        var kept = (await grain.GetAsync())!;
        Assert.Equal(BookingStatus.Confirmed, kept.Status);
        Assert.Equal(new TimeOnly(10, 0), kept.Slot);
        Assert.Equal(20, (await Availability(venue.Id, date)).Slots.Single(s => s.Start == new TimeOnly(10, 0)).Booked);
    }

    [Fact]
    public async Task VenueDay_AfterDeactivation_ReloadsPlacementsFromStorage()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 50));
        var date = TestDates.NextOpen(venue, 3);
        var grain = Booking();
        await grain.CreateAsync(Request(venue.Id, date, 20));
        await Booking().CreateAsync(Request(venue.Id, date, 40, waitlist: true));
        var day = fixture.Client.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venue.Id, date));

        await fixture.Cluster.DeactivateAsync(day);
        await fixture.Cluster.DeactivateAsync(grain.Grain);

        var slot = (await day.GetAvailabilityAsync()).Slots.Single(s => s.Start == new TimeOnly(10, 0));
        Assert.Equal(20, slot.Booked);
        Assert.Equal(40, slot.Waitlisted);
        Assert.Equal(BookingStatus.Confirmed, (await grain.GetAsync())!.Status);
    }

    private Task<DayAvailability> Availability(string venueId, DateOnly date) =>
        fixture.Client.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venueId, date)).GetAvailabilityAsync();
}

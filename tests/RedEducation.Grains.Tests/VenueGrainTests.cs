using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

public sealed class VenueGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task UpdateAsync_SlotMadeSmallerWhileTheDayDecidesOnItsCopy_LaterBookingsFollowTheNewCapacity()
    {
        var (venue, date, unit, first) = await DayWithABookingOfTenAsync();

        await Venue(venue).UpdateAsync(venue with { Limits = venue.Limits with { SlotCapacity = 15 } });
        var second = await BookAsync(unit, venue.Id, date, 10);
        var third = await BookAsync(unit, venue.Id, date, 5);

        Assert.Equal(BookingStatus.Confirmed, first.Booking!.Status);
        Assert.Equal(Refusal.SlotFull, second.Refusal);
        Assert.Equal(BookingStatus.Confirmed, third.Booking!.Status);
        var slot = await SlotAsync(venue, date);
        Assert.Equal((15, 15, 0), (slot.Capacity, slot.Booked, slot.Remaining));
    }

    [Fact]
    public async Task UpdateAsync_DayClosedAfterItsFirstBooking_LaterBookingsRefused()
    {
        var (venue, date, unit, _) = await DayWithABookingOfTenAsync();

        await Venue(venue).UpdateAsync(venue with { Exceptions = [.. venue.Exceptions, new DayOverride(date, Open: false, LocalizedText.Empty)] });
        var refused = await BookAsync(unit, venue.Id, date, 10);

        Assert.Equal(Refusal.VenueClosed, refused.Refusal);
        Assert.Null(refused.Booking);
        Assert.False((await fixture.Client.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venue.Id, date)).GetAvailabilityAsync()).Open);
    }

    [Fact]
    public async Task UpdateAsync_VenueReactivatedSinceTheDayTookItsCopy_LaterBookingsFollowTheNewCapacity()
    {
        var (venue, date, unit, _) = await DayWithABookingOfTenAsync();

        // The new activation does not know the day holds a copy; the old one told the day to ask again as it went.
        await fixture.Cluster.DeactivateAsync(Venue(venue));
        await Venue(venue).UpdateAsync(venue with { Limits = venue.Limits with { SlotCapacity = 15 } });
        var refused = await BookAsync(unit, venue.Id, date, 10);

        Assert.Equal(Refusal.SlotFull, refused.Refusal);
        var slot = await SlotAsync(venue, date);
        Assert.Equal((15, 10), (slot.Capacity, slot.Booked));
    }

    /// <summary>A fresh venue with 50 places a slot, and a group of 10 booked at 10:00 on an open day: the day holds a copy of the rules.</summary>
    private async Task<(VenueProfile Venue, DateOnly Date, string Unit, BookingResult First)> DayWithABookingOfTenAsync()
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 50));
        var date = TestDates.NextOpen(venue, 3);
        var unit = $"unit-{Guid.NewGuid():N}"[..20];
        return (venue, date, unit, await BookAsync(unit, venue.Id, date, 10));
    }

    private IVenueGrain Venue(VenueProfile venue) => fixture.Client.GetGrain<IVenueGrain>(venue.Id);

    private async Task<SlotAvailability> SlotAsync(VenueProfile venue, DateOnly date) =>
        (await fixture.Client.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venue.Id, date)).GetAvailabilityAsync()).Slots.Single(s => s.Start == new TimeOnly(10, 0));

    private Task<BookingResult> BookAsync(string unit, string venueId, DateOnly date, int headcount) =>
        fixture.Client.GetGrain<IUnitGrain>(unit).CreateBookingAsync(
            BookingIds.From(unit, Guid.NewGuid().ToString()), new NewBooking(unit, venueId, date, new TimeOnly(10, 0), headcount, "张三", "13800000000", false));
}

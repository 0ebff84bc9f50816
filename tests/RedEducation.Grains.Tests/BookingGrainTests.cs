using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

public sealed class BookingGrainTests(ClusterFixture fixture)
{
    private static NewBooking Request(string venueId, DateOnly date, int headcount = 10, bool waitlist = false, string unit = "unit-a", string slot = "10:00") =>
        new(unit, venueId, date, TimeOnly.Parse(slot, System.Globalization.CultureInfo.InvariantCulture), headcount, "张三", "13800000000", waitlist);

    private IBookingGrain Booking(string unit = "unit-a") =>
        fixture.Client.GetGrain<IBookingGrain>(BookingIds.From(unit, Guid.NewGuid().ToString()));

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
}

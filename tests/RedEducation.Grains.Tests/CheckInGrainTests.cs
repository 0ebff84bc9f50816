using Orleans.Core.Internal;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.CheckIn;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

public sealed class CheckInGrainTests(ClusterFixture fixture)
{
    // More scans than two journal segments hold, so that reloading crosses full segments and a partly filled one.
    private const int Scans = DurableJournal<CheckInEvent>.SegmentEvents * 2 + 37;

    [Fact]
    public async Task AdmitAsync_GrainReactivated_ArrivalsLogAndNoncesComeBackFromTheJournal()
    {
        var (grain, booking) = await DayWithBookingAsync(headcount: 1000);

        // Concurrent scans, so that group commits take several scans at once and cross segment boundaries mid-write.
        var results = await Task.WhenAll(Enumerable.Range(0, Scans).Select(i => grain.AdmitAsync(Scan(booking, $"n{i}"))));
        await grain.RecordAsync(new ScanEntry(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow, "desk", "staff", null, 1, 0, ScanOutcome.InvalidCode, false, false));
        var logBefore = await grain.GetLogAsync();
        await ReactivateAsync(grain);

        Assert.All(results, r => Assert.Equal(ScanOutcome.Admitted, r.Outcome));
        Assert.Equal(Scans, (await grain.GetArrivalsAsync()).Single().Arrived);
        Assert.Equal(logBefore, await grain.GetLogAsync());
        // A nonce seen before the reactivation still admits nobody.
        var replay = await grain.AdmitAsync(Scan(booking, "n7"));
        Assert.Equal(ScanOutcome.Duplicate, replay.Outcome);
        Assert.Equal(Scans, replay.Arrived);

        // Scans after the reload go on from the partly filled segment and survive the next reload too.
        await grain.AdmitAsync(Scan(booking, "after-1"));
        await grain.AdmitAsync(Scan(booking, "after-2", admit: 5));
        await ReactivateAsync(grain);

        Assert.Equal(Scans + 6, (await grain.GetArrivalsAsync()).Single().Arrived);
        Assert.Equal(logBefore.Count + 3, (await grain.GetLogAsync()).Count);
        Assert.Equal(ScanOutcome.Duplicate, (await grain.AdmitAsync(Scan(booking, "after-2", admit: 5))).Outcome);
    }

    [Fact]
    public async Task AdmitAsync_GrainReactivatedAtAFullSegment_NextScansStartANewSegment()
    {
        var (grain, booking) = await DayWithBookingAsync(headcount: 1000);
        for (var i = 0; i < DurableJournal<CheckInEvent>.SegmentEvents; i++)
        {
            await grain.AdmitAsync(Scan(booking, $"n{i}"));
        }
        await ReactivateAsync(grain);

        var next = await grain.AdmitAsync(Scan(booking, "next"));
        await ReactivateAsync(grain);

        Assert.Equal(DurableJournal<CheckInEvent>.SegmentEvents + 1, next.Arrived);
        Assert.Equal(DurableJournal<CheckInEvent>.SegmentEvents + 1, (await grain.GetArrivalsAsync()).Single().Arrived);
        Assert.Equal(DurableJournal<CheckInEvent>.SegmentEvents + 1, (await grain.GetLogAsync()).Count);
    }

    [Fact]
    public async Task AdmitAsync_MoreThanRemainsAfterReactivation_AdmitsNobody()
    {
        var (grain, booking) = await DayWithBookingAsync(headcount: 10);
        await grain.AdmitAsync(Scan(booking, "a", admit: 8));
        await ReactivateAsync(grain);

        var over = await grain.AdmitAsync(Scan(booking, "b", admit: 3));
        var rest = await grain.AdmitAsync(Scan(booking, "c", admit: null));

        Assert.Equal(ScanOutcome.OverHeadcount, over.Outcome);
        Assert.Equal(2, rest.Admitted);
        Assert.Equal(10, rest.Arrived);
    }

    private async Task<(ICheckInGrain Grain, BookingView Booking)> DayWithBookingAsync(int headcount)
    {
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 5000, groupMax: 5000));
        var date = TestDates.NextOpen(venue, 3);
        var created = await new BookingHandle(fixture.Client, BookingIds.From("unit-a", Guid.NewGuid().ToString()))
            .CreateAsync(new NewBooking("unit-a", venue.Id, date, new TimeOnly(10, 0), headcount, "张三", "13800000000", false));
        return (fixture.Client.GetGrain<ICheckInGrain>(VenueDayKey.Of(venue.Id, date)), created.Booking!);
    }

    private static AdmitCommand Scan(BookingView booking, string nonce, int? admit = 1) =>
        new(booking.Id, booking.TicketSerial, admit, nonce, "desk-a", "staff-a", DateTimeOffset.UtcNow, false);

    /// <summary>Drops the grain's activation; the next call activates it afresh from storage.</summary>
    private static async Task ReactivateAsync(ICheckInGrain grain)
    {
        await grain.AsReference<IGrainManagementExtension>().DeactivateOnIdle();
        // Deactivation completes shortly after the call returns; a call in between may still reach the old activation.
        await Task.Delay(200, TestContext.Current.CancellationToken);
    }
}

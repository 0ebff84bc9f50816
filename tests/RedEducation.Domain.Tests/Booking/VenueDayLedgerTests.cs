using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;
using RedEducation.Testing;

namespace RedEducation.Domain.Tests.Booking;

public sealed class VenueDayLedgerTests
{
    private static readonly DateOnly Day = new(2026, 12, 1);
    private static readonly TimeOnly Nine = new(9, 0);
    private static readonly TimeOnly Ten = new(10, 0);
    private static readonly TimeOnly Eleven = new(11, 0);

    private static readonly VenueProfile Venue = TestVenues.Sample(slotCapacity: 50, groupMax: 50);

    private static PlacementRequest Ask(string id, int headcount, TimeOnly? slot = null, string unit = "unit1", bool waitlist = false) =>
        new(id, unit, slot ?? Nine, headcount, waitlist);

    private static Placement Placed(VenueDayLedger ledger, PlacementRequest request, VenueProfile? venue = null)
    {
        var (decision, placement) = ledger.Place(request, venue ?? Venue);
        Assert.True(decision.Accepted, $"{request.PlacementId} was refused: {decision.Refusal}");
        return placement!;
    }

    private static SlotLoad LoadAt(VenueDayLedger ledger, TimeOnly slot, VenueProfile? venue = null) =>
        ledger.Loads(venue ?? Venue, Day).Single(l => l.Slot.Start == slot);

    [Fact]
    public void Place_CapacityRemains_Confirms()
    {
        var ledger = new VenueDayLedger();

        var (decision, placement) = ledger.Place(Ask("a", 30), Venue);

        Assert.Equal(Refusal.None, decision.Refusal);
        Assert.Equal(PlacementStatus.Confirmed, decision.Status);
        Assert.Equal(PlacementStatus.Confirmed, placement!.Status);
        Assert.Same(placement, ledger.Find("a"));
        Assert.Equal(30, ledger.Booked(Nine));
    }

    [Fact]
    public void Place_FillsSlotExactly_Confirms()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 30));

        var (decision, _) = ledger.Place(Ask("b", 20), Venue);

        Assert.Equal(PlacementStatus.Confirmed, decision.Status);
        Assert.Equal(50, ledger.Booked(Nine));
        Assert.Equal(0, LoadAt(ledger, Nine).Remaining);
    }

    [Fact]
    public void Place_SlotFull_RefusesAndRecordsNothing()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 30));

        var (decision, placement) = ledger.Place(Ask("b", 21), Venue);

        Assert.False(decision.Accepted);
        Assert.Equal(Refusal.SlotFull, decision.Refusal);
        Assert.Null(placement);
        Assert.Null(ledger.Find("b"));
        Assert.Equal(30, ledger.Booked(Nine));
    }

    [Fact]
    public void Place_OneSlotFull_OtherSlotStillConfirms()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50));

        var (decision, _) = ledger.Place(Ask("b", 50, Ten), Venue);

        Assert.Equal(PlacementStatus.Confirmed, decision.Status);
    }

    [Fact]
    public void Place_DailyCapWouldBeExceeded_RefusesWithDailyCapReached()
    {
        var venue = TestVenues.Sample(slotCapacity: 50, groupMax: 50, dailyCap: 80);
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50, Nine), venue);
        Placed(ledger, Ask("b", 30, Ten), venue);

        var (decision, placement) = ledger.Place(Ask("c", 1, Eleven), venue);

        Assert.Equal(Refusal.DailyCapReached, decision.Refusal);
        Assert.Null(placement);
        Assert.Equal(80, ledger.DayTotal());
    }

    [Fact]
    public void Place_DailyCapReachedWithWaitlist_WaitsInsteadOfRefusing()
    {
        var venue = TestVenues.Sample(slotCapacity: 50, groupMax: 50, dailyCap: 60);
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50, Nine), venue);

        var c = Placed(ledger, Ask("c", 20, Ten, waitlist: true), venue);

        Assert.Equal(PlacementStatus.Waitlisted, c.Status);
        Assert.Equal(50, ledger.DayTotal());
    }

    [Fact]
    public void Place_UnitCapPerDay_CountsConfirmedAndWaitlisted()
    {
        var venue = TestVenues.Sample(slotCapacity: 40, groupMax: 40, unitCapPerDay: 60);
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a1", 40, Nine, unit: "a"), venue);
        var waiting = Placed(ledger, Ask("a2", 20, Nine, unit: "a", waitlist: true), venue);
        Assert.Equal(PlacementStatus.Waitlisted, waiting.Status);

        var (refused, _) = ledger.Place(Ask("a3", 1, Ten, unit: "a"), venue);
        var (other, _) = ledger.Place(Ask("b1", 40, Ten, unit: "b"), venue);

        Assert.Equal(Refusal.UnitCapReached, refused.Refusal);
        Assert.Equal(PlacementStatus.Confirmed, other.Status);
    }

    [Fact]
    public void Place_UnitCapAfterCancel_CancelledPlacesNoLongerCount()
    {
        var venue = TestVenues.Sample(slotCapacity: 40, groupMax: 40, unitCapPerDay: 60);
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a1", 40, Nine, unit: "a"), venue);
        Assert.Equal(Refusal.UnitCapReached, ledger.Place(Ask("a2", 30, Ten, unit: "a"), venue).Decision.Refusal);

        ledger.Cancel("a1", venue);
        var (decision, _) = ledger.Place(Ask("a2", 30, Ten, unit: "a"), venue);

        Assert.Equal(PlacementStatus.Confirmed, decision.Status);
    }

    [Fact]
    public void Place_SlotFullWithWaitlistRequested_WaitlistsWithoutTakingCapacity()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 40));

        var (decision, placement) = ledger.Place(Ask("b", 20, waitlist: true), Venue);

        Assert.True(decision.Accepted);
        Assert.Equal(PlacementStatus.Waitlisted, placement!.Status);
        Assert.Equal(40, ledger.Booked(Nine));
        Assert.Equal(1, ledger.WaitlistPosition(placement));
        Assert.Equal(20, LoadAt(ledger, Nine).Waitlisted);
    }

    [Fact]
    public void Place_WaitlistRequestedButCapacityRemains_Confirms()
    {
        var ledger = new VenueDayLedger();

        var placement = Placed(ledger, Ask("a", 20, waitlist: true));

        Assert.Equal(PlacementStatus.Confirmed, placement.Status);
    }

    [Fact]
    public void Place_QueueAhead_NewcomerThatFitsDoesNotOvertake()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 40));
        Placed(ledger, Ask("b", 20, waitlist: true)); // does not fit the 10 free places

        var (queued, c) = ledger.Place(Ask("c", 5, waitlist: true), Venue);
        var (refused, _) = ledger.Place(Ask("d", 5), Venue);

        Assert.Equal(PlacementStatus.Waitlisted, queued.Status);
        Assert.Equal(2, ledger.WaitlistPosition(c!));
        Assert.Equal(Refusal.SlotFull, refused.Refusal);
        Assert.Equal(40, ledger.Booked(Nine));
    }

    [Fact]
    public void Cancel_ConfirmedWithWaitlist_PromotesInArrivalOrder()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50));
        var b = Placed(ledger, Ask("b", 20, waitlist: true));
        var c = Placed(ledger, Ask("c", 20, waitlist: true));
        var d = Placed(ledger, Ask("d", 20, waitlist: true));

        var (refusal, promoted) = ledger.Cancel("a", Venue);

        Assert.Equal(Refusal.None, refusal);
        Assert.Equal(["b", "c"], promoted.Select(p => p.Id));
        Assert.Equal(PlacementStatus.Confirmed, b.Status);
        Assert.Equal(PlacementStatus.Confirmed, c.Status);
        Assert.Equal(PlacementStatus.Waitlisted, d.Status);
        Assert.Equal(1, ledger.WaitlistPosition(d));
        Assert.Equal(40, ledger.Booked(Nine));
        Assert.Equal(PlacementStatus.Cancelled, ledger.Find("a")!.Status);
    }

    [Fact]
    public void Cancel_WaitingHeadDoesNotFit_LaterGroupsKeepWaiting()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 30));
        Placed(ledger, Ask("b", 20));
        var c = Placed(ledger, Ask("c", 40, waitlist: true));
        var d = Placed(ledger, Ask("d", 10, waitlist: true));

        var (_, promoted) = ledger.Cancel("b", Venue);

        Assert.Empty(promoted);
        Assert.Equal(PlacementStatus.Waitlisted, c.Status);
        Assert.Equal(PlacementStatus.Waitlisted, d.Status); // it would fit, but it must not overtake c
        Assert.Equal(30, ledger.Booked(Nine));
    }

    [Fact]
    public void Cancel_BlockingHeadFitsLater_HeadThenFollowersArePromoted()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 30));
        Placed(ledger, Ask("b", 20));
        Placed(ledger, Ask("c", 40, waitlist: true));
        Placed(ledger, Ask("d", 10, waitlist: true));
        ledger.Cancel("b", Venue);

        var (_, promoted) = ledger.Cancel("a", Venue);

        Assert.Equal(["c", "d"], promoted.Select(p => p.Id));
        Assert.Equal(50, ledger.Booked(Nine));
    }

    [Fact]
    public void Cancel_FreesPlacesInOneSlot_OtherSlotsQueueUntouched()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50, Nine));
        Placed(ledger, Ask("b", 50, Ten));
        var waitingAtTen = Placed(ledger, Ask("c", 10, Ten, waitlist: true));

        var (_, promoted) = ledger.Cancel("a", Venue);

        Assert.Empty(promoted);
        Assert.Equal(PlacementStatus.Waitlisted, waitingAtTen.Status);
    }

    [Fact]
    public void Cancel_WaitlistedHeadThatBlocked_PromotesTheNextGroup()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 40));
        Placed(ledger, Ask("b", 20, waitlist: true));
        var c = Placed(ledger, Ask("c", 10, waitlist: true));

        var (_, promoted) = ledger.Cancel("b", Venue);

        Assert.Equal(["c"], promoted.Select(p => p.Id));
        Assert.Equal(PlacementStatus.Confirmed, c.Status);
        Assert.Equal(50, ledger.Booked(Nine));
    }

    [Fact]
    public void Cancel_Waitlisted_LaterGroupsMoveUp()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50));
        Placed(ledger, Ask("b", 10, waitlist: true));
        var c = Placed(ledger, Ask("c", 10, waitlist: true));
        Assert.Equal(2, ledger.WaitlistPosition(c));

        ledger.Cancel("b", Venue);

        Assert.Equal(1, ledger.WaitlistPosition(c));
        Assert.Equal(10, LoadAt(ledger, Nine).Waitlisted);
        Assert.Equal(50, ledger.Booked(Nine));
    }

    [Fact]
    public void Cancel_Twice_SecondIsHarmless()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 30));
        Placed(ledger, Ask("b", 20));
        var c = Placed(ledger, Ask("c", 20, waitlist: true));
        var d = Placed(ledger, Ask("d", 20, waitlist: true));
        Assert.Equal(["c"], ledger.Cancel("b", Venue).Promoted.Select(p => p.Id));

        var (refusal, promoted) = ledger.Cancel("b", Venue);

        Assert.Equal(Refusal.None, refusal);
        Assert.Empty(promoted);
        Assert.Equal(PlacementStatus.Confirmed, c.Status);
        Assert.Equal(PlacementStatus.Waitlisted, d.Status);
        Assert.Equal(50, ledger.Booked(Nine));
    }

    [Fact]
    public void Cancel_UnknownPlacement_ReturnsNotFound()
    {
        var (refusal, promoted) = new VenueDayLedger().Cancel("nobody", Venue);

        Assert.Equal(Refusal.NotFound, refusal);
        Assert.Empty(promoted);
    }

    [Fact]
    public void Resize_ShrinkConfirmed_PromotesWaitlistInOrder()
    {
        var ledger = new VenueDayLedger();
        var a = Placed(ledger, Ask("a", 50));
        var b = Placed(ledger, Ask("b", 10, waitlist: true));
        var c = Placed(ledger, Ask("c", 10, waitlist: true));

        var (refusal, promoted) = ledger.Resize("a", 35, Venue);

        Assert.Equal(Refusal.None, refusal);
        Assert.Equal(35, a.Headcount);
        Assert.Equal(["b"], promoted.Select(p => p.Id));
        Assert.Equal(PlacementStatus.Confirmed, b.Status);
        Assert.Equal(PlacementStatus.Waitlisted, c.Status);
        Assert.Equal(45, ledger.Booked(Nine));

        Assert.Equal(["c"], ledger.Resize("a", 30, Venue).Promoted.Select(p => p.Id));
        Assert.Equal(50, ledger.Booked(Nine));
    }

    [Fact]
    public void Resize_ShrinkNotEnoughForHead_LaterGroupsKeepWaiting()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50));
        var b = Placed(ledger, Ask("b", 30, waitlist: true));
        var c = Placed(ledger, Ask("c", 5, waitlist: true));

        var (refusal, promoted) = ledger.Resize("a", 40, Venue);

        Assert.Equal(Refusal.None, refusal);
        Assert.Empty(promoted);
        Assert.Equal(PlacementStatus.Waitlisted, b.Status);
        Assert.Equal(PlacementStatus.Waitlisted, c.Status);
        Assert.Equal(40, ledger.Booked(Nine));
    }

    [Fact]
    public void Resize_GrowthFits_ChangesHeadcount()
    {
        var ledger = new VenueDayLedger();
        var a = Placed(ledger, Ask("a", 30));
        Placed(ledger, Ask("b", 10));

        var (refusal, _) = ledger.Resize("a", 40, Venue);

        Assert.Equal(Refusal.None, refusal);
        Assert.Equal(40, a.Headcount);
        Assert.Equal(50, ledger.Booked(Nine));
    }

    [Fact]
    public void Resize_GrowthBeyondSlot_RefusedAndNothingChanges()
    {
        var ledger = new VenueDayLedger();
        var a = Placed(ledger, Ask("a", 30));
        Placed(ledger, Ask("b", 15));
        var before = ledger.Loads(Venue, Day);

        var (refusal, promoted) = ledger.Resize("a", 40, Venue);

        Assert.Equal(Refusal.SlotFull, refusal);
        Assert.Empty(promoted);
        Assert.Equal(30, a.Headcount);
        Assert.Equal(PlacementStatus.Confirmed, a.Status);
        Assert.Equal(before, ledger.Loads(Venue, Day));
    }

    [Fact]
    public void Resize_GrowthBeyondDailyCap_RefusedWithDailyCapReached()
    {
        var venue = TestVenues.Sample(slotCapacity: 50, groupMax: 50, dailyCap: 70);
        var ledger = new VenueDayLedger();
        var a = Placed(ledger, Ask("a", 30, Nine), venue);
        Placed(ledger, Ask("b", 30, Ten), venue);

        var (refusal, _) = ledger.Resize("a", 45, venue);

        Assert.Equal(Refusal.DailyCapReached, refusal);
        Assert.Equal(30, a.Headcount);
        Assert.Equal(60, ledger.DayTotal());
    }

    [Fact]
    public void Resize_GrowthBeyondUnitCap_RefusedWithUnitCapReached()
    {
        var venue = TestVenues.Sample(slotCapacity: 50, groupMax: 50, unitCapPerDay: 40);
        var ledger = new VenueDayLedger();
        var a = Placed(ledger, Ask("a", 30, Nine), venue);
        Placed(ledger, Ask("a2", 10, Ten), venue);

        var (refusal, _) = ledger.Resize("a", 31, venue);

        Assert.Equal(Refusal.UnitCapReached, refusal);
        Assert.Equal(30, a.Headcount);
    }

    [Theory]
    [InlineData(4, Refusal.GroupTooSmall)]
    [InlineData(0, Refusal.GroupTooSmall)]
    [InlineData(41, Refusal.GroupTooLarge)]
    public void Resize_OutsideGroupLimits_RefusedAndNothingChanges(int headcount, Refusal expected)
    {
        var venue = TestVenues.Sample(slotCapacity: 50, groupMin: 5, groupMax: 40);
        var ledger = new VenueDayLedger();
        var a = Placed(ledger, Ask("a", 20), venue);

        var (refusal, _) = ledger.Resize("a", headcount, venue);

        Assert.Equal(expected, refusal);
        Assert.Equal(20, a.Headcount);
    }

    [Fact]
    public void Resize_WaitlistedGrows_StaysWaitingAndTakesNoCapacity()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50));
        var b = Placed(ledger, Ask("b", 20, waitlist: true));

        var (refusal, promoted) = ledger.Resize("b", 30, Venue);

        Assert.Equal(Refusal.None, refusal);
        Assert.Empty(promoted);
        Assert.Equal(30, b.Headcount);
        Assert.Equal(PlacementStatus.Waitlisted, b.Status);
        Assert.Equal(50, ledger.Booked(Nine));
        Assert.Equal(30, LoadAt(ledger, Nine).Waitlisted);
    }

    [Fact]
    public void Resize_WaitlistedShrinksToFit_IsPromoted()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 40));
        var b = Placed(ledger, Ask("b", 20, waitlist: true));

        var (refusal, promoted) = ledger.Resize("b", 10, Venue);

        Assert.Equal(Refusal.None, refusal);
        Assert.Equal(["b"], promoted.Select(p => p.Id));
        Assert.Equal(PlacementStatus.Confirmed, b.Status);
        Assert.Equal(50, ledger.Booked(Nine));
    }

    [Fact]
    public void Resize_UnknownPlacement_ReturnsNotFound()
    {
        Assert.Equal(Refusal.NotFound, new VenueDayLedger().Resize("nobody", 10, Venue).Refusal);
    }

    [Fact]
    public void Resize_CancelledPlacement_ReturnsAlreadyCancelledAndFreesNothing()
    {
        var ledger = new VenueDayLedger();
        var a = Placed(ledger, Ask("a", 30));
        ledger.Cancel("a", Venue);

        var (refusal, _) = ledger.Resize("a", 10, Venue);

        Assert.Equal(Refusal.AlreadyCancelled, refusal);
        Assert.Equal(PlacementStatus.Cancelled, a.Status);
        Assert.Equal(0, ledger.Booked(Nine));
    }

    [Fact]
    public void Place_KnownPlacementId_ReturnsSamePlacementWithoutDoubleCounting()
    {
        var ledger = new VenueDayLedger();
        var first = Placed(ledger, Ask("a", 30));

        var (decision, again) = ledger.Place(Ask("a", 30), Venue);

        Assert.Same(first, again);
        Assert.Equal(PlacementStatus.Confirmed, decision.Status);
        Assert.Single(ledger.Placements);
        Assert.Equal(30, ledger.Booked(Nine));
        Assert.Equal(30, ledger.DayTotal());
    }

    [Fact]
    public void Place_RetryAfterSlotFilledUp_StillReportsTheOriginalConfirmation()
    {
        var ledger = new VenueDayLedger();
        var first = Placed(ledger, Ask("a", 30));
        Placed(ledger, Ask("b", 20));

        var (decision, again) = ledger.Place(Ask("a", 30), Venue);

        Assert.Equal(Refusal.None, decision.Refusal);
        Assert.Equal(PlacementStatus.Confirmed, decision.Status);
        Assert.Same(first, again);
        Assert.Equal(50, ledger.Booked(Nine));
    }

    [Fact]
    public void Place_RetryOfWaitlistedPlacement_KeepsItsPlaceInTheQueue()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50));
        var b = Placed(ledger, Ask("b", 10, waitlist: true));
        Placed(ledger, Ask("c", 10, waitlist: true));

        var (decision, again) = ledger.Place(Ask("b", 10, waitlist: true), Venue);

        Assert.Equal(PlacementStatus.Waitlisted, decision.Status);
        Assert.Same(b, again);
        Assert.Equal(1, ledger.WaitlistPosition(b));
        Assert.Equal(20, LoadAt(ledger, Nine).Waitlisted);
    }

    [Fact]
    public void WaitlistPosition_SeveralSlots_CountsPerSlotInArrivalOrder()
    {
        var ledger = new VenueDayLedger();
        var confirmed = Placed(ledger, Ask("a", 50, Nine));
        Placed(ledger, Ask("b", 50, Ten));
        var nine1 = Placed(ledger, Ask("n1", 10, Nine, waitlist: true));
        var ten1 = Placed(ledger, Ask("t1", 10, Ten, waitlist: true));
        var nine2 = Placed(ledger, Ask("n2", 10, Nine, waitlist: true));
        var ten2 = Placed(ledger, Ask("t2", 10, Ten, waitlist: true));
        var nine3 = Placed(ledger, Ask("n3", 10, Nine, waitlist: true));

        Assert.Equal(0, ledger.WaitlistPosition(confirmed));
        Assert.Equal([1, 2, 3], new[] { nine1, nine2, nine3 }.Select(ledger.WaitlistPosition));
        Assert.Equal([1, 2], new[] { ten1, ten2 }.Select(ledger.WaitlistPosition));

        ledger.Cancel("n3", Venue);
        Assert.Equal(0, ledger.WaitlistPosition(nine3));
    }

    [Fact]
    public void Loads_MixedDay_ReportsBookedRemainingAndWaitingPerSlot()
    {
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 30, Nine));
        Placed(ledger, Ask("b", 40, Ten));
        Placed(ledger, Ask("c", 20, Ten, waitlist: true));
        Placed(ledger, Ask("d", 15, Ten, waitlist: true));
        Placed(ledger, Ask("e", 30, Eleven));
        ledger.Cancel("e", Venue);

        var loads = ledger.Loads(Venue, Day);

        Assert.Equal(Venue.SlotsOn(Day), loads.Select(l => l.Slot));
        Assert.Equal(new SlotLoad(new Slot(Nine, Ten), 50, 30, 20, 0), loads[0]);
        Assert.Equal(new SlotLoad(new Slot(Ten, Eleven), 50, 40, 10, 35), loads[1]);
        Assert.Equal(new SlotLoad(new Slot(Eleven, new TimeOnly(12, 0)), 50, 0, 50, 0), loads[2]);
        Assert.All(loads.Skip(3), l => Assert.Equal((50, 0, 50, 0), (l.Capacity, l.Booked, l.Remaining, l.Waitlisted)));
    }

    [Fact]
    public void Loads_DailyCapNearlyReached_RemainingLimitedByDailyCap()
    {
        var venue = TestVenues.Sample(slotCapacity: 50, groupMax: 50, dailyCap: 60);
        var ledger = new VenueDayLedger();
        Placed(ledger, Ask("a", 50, Nine), venue);

        var loads = ledger.Loads(venue, Day);

        Assert.Equal(0, loads[0].Remaining);
        Assert.All(loads.Skip(1), l => Assert.Equal(10, l.Remaining));
    }

    [Fact]
    public void Loads_ClosedDay_ReturnsNoSlots()
    {
        var venue = TestVenues.Sample(closedWeekdays: [Day.DayOfWeek]);

        Assert.Empty(new VenueDayLedger().Loads(venue, Day));
    }
}

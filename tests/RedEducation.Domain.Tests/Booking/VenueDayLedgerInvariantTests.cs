using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;
using RedEducation.Testing;

namespace RedEducation.Domain.Tests.Booking;

/// <summary>Long seeded sequences of random operations, checking the ledger's invariants after every step.</summary>
public sealed class VenueDayLedgerInvariantTests
{
    private static readonly DateOnly Day = new(2026, 12, 1);

    [Theory]
    [InlineData(20261201)]
    [InlineData(7)]
    [InlineData(424242)]
    public void PlaceResizeCancel_RandomSequenceDailyCapNotBinding_BookedWithinCapacityAndBookedPlusRemainingIsCapacity(int seed)
    {
        var venue = TestVenues.Sample(slotCapacity: 40, dailyCap: 1_000, groupMin: 1, groupMax: 40, unitCapPerDay: 150);
        Assert.True(venue.Limits.DailyCap > venue.DailySlots().Count * venue.Limits.SlotCapacity, "the daily cap must not bind here");

        Run(venue, seed, [Refusal.SlotFull, Refusal.UnitCapReached, Refusal.GroupTooLarge], ledger =>
        {
            foreach (var load in ledger.Loads(venue, Day))
            {
                Assert.Equal(load.Capacity, load.Booked + load.Remaining);
            }
        });
    }

    [Theory]
    [InlineData(20261201)]
    [InlineData(99)]
    public void PlaceResizeCancel_RandomSequenceDailyCapBinding_NeitherSlotNorDayIsOverbooked(int seed)
    {
        var venue = TestVenues.Sample(slotCapacity: 40, dailyCap: 150, groupMin: 1, groupMax: 40, unitCapPerDay: 150);

        Run(venue, seed, [Refusal.SlotFull, Refusal.DailyCapReached, Refusal.UnitCapReached], ledger =>
        {
            var dayLeft = venue.Limits.DailyCap - ledger.DayTotal();
            foreach (var load in ledger.Loads(venue, Day))
            {
                Assert.Equal(Math.Min(load.Capacity - load.Booked, dayLeft), load.Remaining);
            }
        });
    }

    private static void Run(VenueProfile venue, int seed, Refusal[] expectedRefusals, Action<VenueDayLedger> extraCheck)
    {
        var refusals = new HashSet<Refusal>();
        var random = new Random(seed);
        var slots = venue.DailySlots().Select(s => s.Start).ToArray();
        string[] units = ["u1", "u2", "u3", "u4"];
        var ledger = new VenueDayLedger();
        var ids = new List<string>();
        var confirmations = 0;
        var promotions = 0;

        for (var step = 0; step < 5_000; step++)
        {
            var before = Snapshot(ledger);
            var roll = random.Next(100);
            if (roll < 45 || ids.Count == 0)
            {
                var id = $"p{step}";
                var request = new PlacementRequest(id, units[random.Next(units.Length)], slots[random.Next(slots.Length)], random.Next(1, 41), random.Next(3) == 0);
                var (decision, placement) = ledger.Place(request, venue);
                if (decision.Accepted)
                {
                    ids.Add(id);
                    Assert.Equal(decision.Status, placement!.Status);
                    if (placement.Status == PlacementStatus.Confirmed)
                    {
                        confirmations++;
                        Assert.DoesNotContain(
                            before.Where(kv => kv.Value.Status == PlacementStatus.Waitlisted),
                            kv => ledger.Find(kv.Key)!.Slot == request.Slot); // a newcomer does not overtake a queue
                    }
                    AssertUnchangedExcept(before, Snapshot(ledger), id);
                }
                else
                {
                    refusals.Add(decision.Refusal);
                    Assert.Null(placement);
                    Assert.Equal(before, Snapshot(ledger));
                }
            }
            else if (roll < 55)
            {
                // A retry of a known id must change nothing, whatever the request now says.
                var id = ids[random.Next(ids.Count)];
                var known = ledger.Find(id)!;
                var (decision, placement) = ledger.Place(new PlacementRequest(id, known.UnitId, slots[random.Next(slots.Length)], random.Next(1, 41), false), venue);
                Assert.Same(known, placement);
                Assert.Equal(known.Status, decision.Status);
                Assert.Equal(before, Snapshot(ledger));
            }
            else if (roll < 80)
            {
                var id = Pick(ledger, ids, random);
                var (refusal, promoted) = ledger.Resize(id, random.Next(0, 46), venue);
                if (refusal != Refusal.None)
                {
                    refusals.Add(refusal);
                    Assert.Empty(promoted);
                    Assert.Equal(before, Snapshot(ledger));
                }
                promotions += CheckPromoted(ledger, before, promoted);
            }
            else
            {
                var id = Pick(ledger, ids, random);
                var (refusal, promoted) = ledger.Cancel(id, venue);
                Assert.Equal(Refusal.None, refusal);
                Assert.Equal(PlacementStatus.Cancelled, ledger.Find(id)!.Status);
                promotions += CheckPromoted(ledger, before, promoted);
            }

            CheckInvariants(ledger, venue, before);
            extraCheck(ledger);
        }

        // The run is only meaningful if it reached full slots, refusals, waiting groups and promotions.
        Assert.True(confirmations > 200, $"only {confirmations} confirmations");
        Assert.True(promotions > 100, $"only {promotions} promotions");
        Assert.Superset(expectedRefusals.ToHashSet(), refusals);
        Assert.Contains(ledger.Placements.Values, p => p.Status == PlacementStatus.Waitlisted);
    }

    /// <summary>Mostly a live placement, so that resizes and cancels keep acting; now and then a cancelled one.</summary>
    private static string Pick(VenueDayLedger ledger, List<string> ids, Random random)
    {
        var live = ids.Where(id => ledger.Find(id)!.Status != PlacementStatus.Cancelled).ToList();
        return live.Count > 0 && random.Next(10) > 0 ? live[random.Next(live.Count)] : ids[random.Next(ids.Count)];
    }

    private static int CheckPromoted(VenueDayLedger ledger, Dictionary<string, (PlacementStatus Status, int Headcount)> before, IReadOnlyList<Placement> promoted)
    {
        foreach (var p in promoted)
        {
            Assert.Equal(PlacementStatus.Waitlisted, before[p.Id].Status);
            Assert.Equal(PlacementStatus.Confirmed, p.Status);
        }

        // No overtaking: in each slot, the groups promoted are the front of that slot's queue, in order.
        foreach (var slot in promoted.GroupBy(p => p.Slot))
        {
            var queue = before
                .Where(kv => kv.Value.Status == PlacementStatus.Waitlisted)
                .Select(kv => ledger.Find(kv.Key)!)
                .Where(p => p.Slot == slot.Key && p.Status != PlacementStatus.Cancelled)
                .OrderBy(p => p.Sequence)
                .Select(p => p.Id);
            Assert.Equal(queue.Take(slot.Count()), slot.Select(p => p.Id));
        }
        return promoted.Count;
    }

    private static void CheckInvariants(VenueDayLedger ledger, VenueProfile venue, Dictionary<string, (PlacementStatus Status, int Headcount)> before)
    {
        var limits = venue.Limits;
        // One pass of our own over the placements, to check the ledger's sums against independently computed ones.
        var confirmedBySlot = new Dictionary<TimeOnly, int>();
        var headBySlot = new Dictionary<TimeOnly, Placement>();
        var loadByUnit = new Dictionary<string, int>();
        var dayTotal = 0;
        foreach (var p in ledger.Placements.Values)
        {
            if (p.Status == PlacementStatus.Confirmed)
            {
                confirmedBySlot[p.Slot] = confirmedBySlot.GetValueOrDefault(p.Slot) + p.Headcount;
                dayTotal += p.Headcount;
            }
            if (p.Status == PlacementStatus.Waitlisted && (!headBySlot.TryGetValue(p.Slot, out var head) || p.Sequence < head.Sequence))
            {
                headBySlot[p.Slot] = p;
            }
            if (p.Status != PlacementStatus.Cancelled)
            {
                loadByUnit[p.UnitId] = loadByUnit.GetValueOrDefault(p.UnitId) + p.Headcount;
            }
        }

        Assert.Equal(dayTotal, ledger.DayTotal());
        Assert.True(dayTotal <= limits.DailyCap, $"day total {dayTotal} exceeds the daily cap {limits.DailyCap}");
        foreach (var slot in venue.DailySlots())
        {
            var booked = confirmedBySlot.GetValueOrDefault(slot.Start);
            Assert.Equal(booked, ledger.Booked(slot.Start));
            Assert.True(booked <= limits.SlotCapacity, $"slot {slot.Start} holds {booked} > {limits.SlotCapacity}");

            // Strict order: whoever heads a slot's queue cannot fit, otherwise it would have been confirmed.
            if (headBySlot.TryGetValue(slot.Start, out var head))
            {
                Assert.True(
                    booked + head.Headcount > limits.SlotCapacity || dayTotal + head.Headcount > limits.DailyCap,
                    $"{head.Id} heads the queue at {slot.Start} and fits, yet waits");
            }
        }
        Assert.All(loadByUnit, unit => Assert.True(unit.Value <= limits.UnitCapPerDay, $"unit {unit.Key} holds {unit.Value} > {limits.UnitCapPerDay}"));

        // A confirmation is never taken back except by cancelling, and a cancellation is final.
        foreach (var (id, (status, _)) in before)
        {
            var now = ledger.Find(id)!.Status;
            if (status == PlacementStatus.Confirmed)
            {
                Assert.NotEqual(PlacementStatus.Waitlisted, now);
            }
            if (status == PlacementStatus.Cancelled)
            {
                Assert.Equal(PlacementStatus.Cancelled, now);
            }
        }
    }

    private static Dictionary<string, (PlacementStatus Status, int Headcount)> Snapshot(VenueDayLedger ledger) =>
        ledger.Placements.Values.ToDictionary(p => p.Id, p => (p.Status, p.Headcount));

    private static void AssertUnchangedExcept(
        Dictionary<string, (PlacementStatus Status, int Headcount)> before,
        Dictionary<string, (PlacementStatus Status, int Headcount)> after,
        string added)
    {
        Assert.Equal(before.Count + 1, after.Count);
        Assert.True(after.ContainsKey(added));
        Assert.All(before, kv => Assert.Equal(kv.Value, after[kv.Key]));
    }
}

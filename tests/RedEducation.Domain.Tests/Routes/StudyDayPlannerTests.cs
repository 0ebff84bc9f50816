using RedEducation.Domain.Routes;

namespace RedEducation.Domain.Tests.Routes;

public sealed class StudyDayPlannerTests
{
    private static IReadOnlyList<SlotOption> Hourly(int from = 9, int to = 16, int remaining = 100) =>
        [.. Enumerable.Range(from, to - from + 1).Select(h => new SlotOption(new TimeOnly(h, 0), new TimeOnly(h + 1, 0), remaining))];

    private static PlanStop Stop(string id, int visit = 60, IReadOnlyList<SlotOption>? slots = null, bool open = true, int lastEntry = 16, int close = 17) =>
        new(id, open, slots ?? Hourly(), new TimeOnly(lastEntry, 0), new TimeOnly(close, 0), visit);

    /// <summary>Travel times from points on a line: position in minutes of driving.</summary>
    private static double[,] Line(params int[] minutes)
    {
        var m = new double[minutes.Length, minutes.Length];
        for (var i = 0; i < minutes.Length; i++)
        {
            for (var j = 0; j < minutes.Length; j++)
            {
                m[i, j] = Math.Abs(minutes[i] - minutes[j]) * 60.0;
            }
        }
        return m;
    }

    [Fact]
    public void Plan_StopsAlongALine_VisitsThemInDrivingOrder()
    {
        var request = new PlanRequest(new TimeOnly(8, 0), [Stop("far", 30), Stop("near", 30), Stop("middle", 30)], Line(0, 90, 10, 40), false, 30);

        var outcome = StudyDayPlanner.Plan(request);

        Assert.Equal(["near", "middle", "far"], outcome.Plan!.Visits.Select(v => v.VenueId));
        Assert.Equal(TimeSpan.FromHours(9), outcome.Plan.Visits[0].VisitStart); // arrives 08:10, waits for the 09:00 slot
    }

    [Fact]
    public void Plan_ArrivingDuringASlot_EntersItWithoutWaitingForTheNext()
    {
        var request = new PlanRequest(new TimeOnly(9, 0), [Stop("a", 45)], Line(0, 25), false, 10);

        var visit = StudyDayPlanner.Plan(request).Plan!.Visits.Single();

        Assert.Equal(new TimeOnly(9, 0), visit.Slot.Start);
        Assert.Equal(new TimeSpan(9, 25, 0), visit.VisitStart);
        Assert.Equal(new TimeSpan(10, 10, 0), visit.Depart);
    }

    [Fact]
    public void Plan_FullSlots_SkipsToASlotWithRoomForTheGroup()
    {
        var slots = Hourly().Select(s => s.Start.Hour < 13 ? s with { Remaining = 20 } : s).ToList();
        var request = new PlanRequest(new TimeOnly(9, 0), [Stop("busy", slots: slots)], Line(0, 10), false, 30);

        Assert.Equal(new TimeOnly(13, 0), StudyDayPlanner.Plan(request).Plan!.Visits.Single().Slot.Start);
    }

    [Fact]
    public void Plan_VenueClosed_InfeasibleNamingIt()
    {
        var request = new PlanRequest(new TimeOnly(9, 0), [Stop("open"), Stop("shut", open: false, slots: [])], Line(0, 10, 20), false, 10);

        var outcome = StudyDayPlanner.Plan(request);

        Assert.Null(outcome.Plan);
        Assert.Equal(InfeasibleReason.VenueClosed, outcome.Reason);
        Assert.Equal("shut", outcome.VenueId);
    }

    [Fact]
    public void Plan_NoSlotWithRoom_InfeasibleNamingIt()
    {
        var request = new PlanRequest(new TimeOnly(9, 0), [Stop("full", slots: Hourly(remaining: 5))], Line(0, 10), false, 30);

        Assert.Equal(InfeasibleReason.NoSlotWithRoom, StudyDayPlanner.Plan(request).Reason);
    }

    [Fact]
    public void Plan_TooFarToArriveBeforeLastEntry_TooLateInTheDay()
    {
        var request = new PlanRequest(new TimeOnly(9, 0), [Stop("remote")], Line(0, 8 * 60), false, 10);

        var outcome = StudyDayPlanner.Plan(request);

        Assert.Equal(InfeasibleReason.TooLateInTheDay, outcome.Reason);
        Assert.Equal("remote", outcome.VenueId);
    }

    [Fact]
    public void Plan_EachFitsAloneButNotAllTogether_NoOrderFitsTheDay()
    {
        var request = new PlanRequest(new TimeOnly(9, 0), [Stop("a", 240), Stop("b", 240), Stop("c", 240)], Line(0, 10, 20, 30), false, 10);

        Assert.Equal(InfeasibleReason.NoOrderFitsTheDay, StudyDayPlanner.Plan(request).Reason);
    }

    [Fact]
    public void Plan_ReturnToStart_CountsTheDriveHome()
    {
        var request = new PlanRequest(new TimeOnly(9, 0), [Stop("a", 60)], Line(0, 30), true, 10);

        var plan = StudyDayPlanner.Plan(request).Plan!;

        Assert.Equal(new TimeSpan(11, 0, 0), plan.ReturnArrival); // 09:30 arrive, 10:30 leave, 11:00 home
        Assert.Equal(plan.ReturnArrival, plan.Finish);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    [InlineData(3, true)]
    [InlineData(4, true)]
    [InlineData(5, false)]
    [InlineData(6, true)]
    public void Plan_RandomDays_FinishesAsEarlyAsTheBestOfAllOrders(int seed, bool someOrderFits)
    {
        var random = new Random(seed);
        var n = 5 + seed % 3;
        var stops = Enumerable.Range(0, n).Select(i =>
        {
            var open = 8 + random.Next(3);
            var last = 13 + random.Next(4);
            var slots = Enumerable.Range(open, last - open + 1)
                .Select(h => new SlotOption(new TimeOnly(h, 0), new TimeOnly(h + 1, 0), random.Next(4) == 0 ? 0 : 50)).ToList();
            return new PlanStop($"v{i}", true, slots, new TimeOnly(last, 0), new TimeOnly(last + 1, 30), 20 + random.Next(70));
        }).ToList();
        var travel = new double[n + 1, n + 1];
        var points = Enumerable.Range(0, n + 1).Select(_ => (X: random.NextDouble() * 60, Y: random.NextDouble() * 60)).ToList();
        for (var i = 0; i <= n; i++)
        {
            for (var j = 0; j <= n; j++)
            {
                travel[i, j] = 60 * Math.Sqrt(Math.Pow(points[i].X - points[j].X, 2) + Math.Pow(points[i].Y - points[j].Y, 2)) * (1 + 0.1 * ((i * 7 + j * 3) % 3));
            }
        }
        var request = new PlanRequest(new TimeOnly(7, 30), stops, travel, seed % 2 == 0, 30);

        var best = Permutations(Enumerable.Range(0, n).ToList())
            .Select(order => StudyDayPlanner.Replay(request, order))
            .OfType<StudyDayPlan>()
            .Select(p => p.Finish)
            .DefaultIfEmpty(TimeSpan.MaxValue)
            .Min();
        var outcome = StudyDayPlanner.Plan(request);

        Assert.Equal(someOrderFits, best != TimeSpan.MaxValue);
        if (!someOrderFits)
        {
            Assert.Null(outcome.Plan);
        }
        else
        {
            Assert.Equal(best, outcome.Plan!.Finish);
            Assert.Equal(n, outcome.Plan.Visits.Select(v => v.VenueId).Distinct().Count());
        }
    }

    private static IEnumerable<List<int>> Permutations(List<int> items)
    {
        if (items.Count <= 1)
        {
            yield return items;
            yield break;
        }
        foreach (var item in items)
        {
            foreach (var rest in Permutations(items.Where(i => i != item).ToList()))
            {
                yield return [item, .. rest];
            }
        }
    }
}

namespace RedEducation.Domain.Routes;

/// <summary>A slot a group could enter: its interval and how many places remain.</summary>
public sealed record SlotOption(TimeOnly Start, TimeOnly End, int Remaining);

/// <summary>A venue to visit in the day: its slots for that date (none when closed), last entry, closing time and visit length.</summary>
public sealed record PlanStop(string VenueId, bool Open, IReadOnlyList<SlotOption> Slots, TimeOnly LastEntry, TimeOnly Close, int VisitMinutes);

/// <summary>
/// What to plan: leave the start at <see cref="DepartAt"/>, visit every stop once. <see cref="TravelSeconds"/> is
/// (stops + 1) square with index 0 the start and index i the stop i - 1; infinity where there is no road.
/// </summary>
public sealed record PlanRequest(TimeOnly DepartAt, IReadOnlyList<PlanStop> Stops, double[,] TravelSeconds, bool ReturnToStart, int Headcount);

/// <summary>One visit of the plan: arrival, the slot entered, the start and end of the visit (local times).</summary>
public sealed record PlannedVisit(int Stop, string VenueId, TimeSpan Arrive, SlotOption Slot, TimeSpan VisitStart, TimeSpan Depart);

/// <summary>The chosen day: visits in travel order and when the day ends (back at the start, or leaving the last venue).</summary>
public sealed record StudyDayPlan(IReadOnlyList<PlannedVisit> Visits, TimeSpan Finish, TimeSpan? ReturnArrival);

/// <summary>Why no plan exists.</summary>
public enum InfeasibleReason
{
    None,
    VenueClosed,
    NoSlotWithRoom,
    Unreachable,
    TooLateInTheDay,
    NoOrderFitsTheDay,
}

public sealed record PlanOutcome(StudyDayPlan? Plan, InfeasibleReason Reason, string? VenueId)
{
    public static PlanOutcome Infeasible(InfeasibleReason reason, string? venueId = null) => new(null, reason, venueId);
}

/// <summary>
/// Orders a day's visits so the day ends as early as possible, respecting travel times, slots with room for the group,
/// last entry and closing time. Exact: dynamic programming over subsets (Held–Karp) keeping the earliest time each
/// (visited set, last stop) can be left — arriving earlier never makes a later departure, so the earliest is the only
/// state worth keeping. 2^n · n² steps: instant for the 8–10 stops of a study day.
/// </summary>
public static class StudyDayPlanner
{
    public const int MaxStops = 12;

    public static PlanOutcome Plan(PlanRequest request)
    {
        var n = request.Stops.Count;
        if (n is 0 or > MaxStops)
        {
            throw new ArgumentOutOfRangeException(nameof(request), $"plan 1 to {MaxStops} stops");
        }
        // A stop that cannot be visited even straight from the start makes the day impossible; say which and why.
        for (var i = 0; i < n; i++)
        {
            var stop = request.Stops[i];
            if (!stop.Open)
            {
                return PlanOutcome.Infeasible(InfeasibleReason.VenueClosed, stop.VenueId);
            }
            if (!stop.Slots.Any(s => s.Remaining >= request.Headcount))
            {
                return PlanOutcome.Infeasible(InfeasibleReason.NoSlotWithRoom, stop.VenueId);
            }
            if (double.IsInfinity(request.TravelSeconds[0, i + 1]))
            {
                return PlanOutcome.Infeasible(InfeasibleReason.Unreachable, stop.VenueId);
            }
            if (Visit(request, i, request.DepartAt.ToTimeSpan() + TimeSpan.FromSeconds(request.TravelSeconds[0, i + 1])) is null)
            {
                return PlanOutcome.Infeasible(InfeasibleReason.TooLateInTheDay, stop.VenueId);
            }
        }

        var states = 1 << n;
        var leave = new TimeSpan?[states, n];
        var from = new int[states, n];
        for (var i = 0; i < n; i++)
        {
            leave[1 << i, i] = Visit(request, i, request.DepartAt.ToTimeSpan() + Travel(request, -1, i))?.Depart;
            from[1 << i, i] = -1;
        }
        for (var mask = 1; mask < states; mask++)
        {
            for (var last = 0; last < n; last++)
            {
                if (leave[mask, last] is not { } at)
                {
                    continue;
                }
                for (var next = 0; next < n; next++)
                {
                    if ((mask & (1 << next)) != 0 || double.IsInfinity(request.TravelSeconds[last + 1, next + 1]))
                    {
                        continue;
                    }
                    var visit = Visit(request, next, at + Travel(request, last, next));
                    var grown = mask | (1 << next);
                    if (visit is not null && (leave[grown, next] is not { } best || visit.Depart < best))
                    {
                        leave[grown, next] = visit.Depart;
                        from[grown, next] = last;
                    }
                }
            }
        }

        var all = states - 1;
        var bestLast = -1;
        TimeSpan bestFinish = TimeSpan.MaxValue;
        for (var last = 0; last < n; last++)
        {
            if (leave[all, last] is not { } at || (request.ReturnToStart && double.IsInfinity(request.TravelSeconds[last + 1, 0])))
            {
                continue;
            }
            var finish = request.ReturnToStart ? at + Travel(request, last, -1) : at;
            if (finish < bestFinish && finish < TimeSpan.FromDays(1))
            {
                (bestFinish, bestLast) = (finish, last);
            }
        }
        if (bestLast < 0)
        {
            return PlanOutcome.Infeasible(InfeasibleReason.NoOrderFitsTheDay);
        }

        var order = new List<int>();
        for (int mask = all, last = bestLast; last >= 0;)
        {
            order.Add(last);
            var previous = from[mask, last];
            mask &= ~(1 << last);
            last = previous;
        }
        order.Reverse();
        return new PlanOutcome(Replay(request, order), InfeasibleReason.None, null);
    }

    /// <summary>Walks an order from the start, giving each visit's times; null when the order does not fit the day.</summary>
    public static StudyDayPlan? Replay(PlanRequest request, IReadOnlyList<int> order)
    {
        var visits = new List<PlannedVisit>();
        var at = request.DepartAt.ToTimeSpan();
        var previous = -1;
        foreach (var stop in order)
        {
            if (double.IsInfinity(request.TravelSeconds[previous + 1, stop + 1]) || Visit(request, stop, at + Travel(request, previous, stop)) is not { } visit)
            {
                return null;
            }
            visits.Add(visit);
            at = visit.Depart;
            previous = stop;
        }
        TimeSpan? back = request.ReturnToStart ? at + Travel(request, previous, -1) : null;
        return new StudyDayPlan(visits, back ?? at, back);
    }

    /// <summary>
    /// Arriving at <paramref name="arrive"/>, the group enters the first slot it can still enter (one that has not
    /// ended and has room), no earlier than the slot's start and no later than the last entry, and must leave by closing.
    /// </summary>
    private static PlannedVisit? Visit(PlanRequest request, int stop, TimeSpan arrive)
    {
        var venue = request.Stops[stop];
        foreach (var slot in venue.Slots)
        {
            if (slot.Remaining < request.Headcount || slot.End.ToTimeSpan() <= arrive)
            {
                continue;
            }
            var start = arrive > slot.Start.ToTimeSpan() ? arrive : slot.Start.ToTimeSpan();
            var depart = start + TimeSpan.FromMinutes(venue.VisitMinutes);
            if (start > venue.LastEntry.ToTimeSpan() || depart > venue.Close.ToTimeSpan())
            {
                return null; // later slots start later still
            }
            return new PlannedVisit(stop, venue.VenueId, arrive, slot, start, depart);
        }
        return null;
    }

    private static TimeSpan Travel(PlanRequest request, int from, int to) => TimeSpan.FromSeconds(request.TravelSeconds[from + 1, to + 1]);
}

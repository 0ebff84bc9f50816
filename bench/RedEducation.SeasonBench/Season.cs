namespace RedEducation.SeasonBench;

/// <summary>A venue's rules as the season uses them (read from GET /api/venues), with capacities already scaled.</summary>
internal sealed record VenueRules(string Id, IReadOnlySet<DayOfWeek> ClosedWeekdays, int SlotCapacity, int DailyCap, int GroupMin, int GroupMax, int UnitCapPerDay);

/// <summary>One group visit the season books: a unit, a venue, a day of the season (0 = today) and a slot.</summary>
internal sealed record PlannedVisit(int Index, string VenueId, int Day, DateOnly Date, TimeOnly Slot, int Headcount, string UnitId);

/// <summary>
/// The province season: <c>units</c> work units book about <c>visits</c> person-visits over <c>days</c> days at every
/// venue, spread in proportion to each venue's daily cap (from day <c>firstDay</c>, 0 being today), in daytime slots (08:00–16:00) and, today, in the one slot
/// still ahead (the only visits that can be checked in on the real clock during the run). Groups of 10–50 (within the
/// venue's group limits) are placed so that no slot, day or unit cap is planned over; the outcome is deterministic for
/// a seed.
/// </summary>
internal sealed class SeasonPlan
{
    public static readonly TimeOnly[] DaytimeSlots = [.. Enumerable.Range(8, 9).Select(h => new TimeOnly(h, 0))];

    /// <summary>Share of each slot's and day's capacity the plan may use, so that resizes have room to grow.</summary>
    private const double Fill = 0.9;

    private SeasonPlan(IReadOnlyList<PlannedVisit> visits, int units)
    {
        Visits = visits;
        Units = units;
    }

    /// <summary>Today's visits first (their slot is about to start), then the rest in random order.</summary>
    public IReadOnlyList<PlannedVisit> Visits { get; }

    public int Units { get; }

    public long People => Visits.Sum(v => (long)v.Headcount);

    public static string UnitId(int unit) => $"season-unit-{unit:D6}";

    public static SeasonPlan Make(IReadOnlyList<VenueRules> venues, DateOnly today, TimeOnly todaySlot, int units, long people, int firstDay, int days, Random random)
    {
        var venueDays = (from v in venues
                         from d in Enumerable.Range(firstDay, days)
                         let date = today.AddDays(d)
                         where !v.ClosedWeekdays.Contains(date.DayOfWeek)
                         select (Venue: v, Day: d, Date: date)).ToList();
        var visits = new List<PlannedVisit>();
        // What a venue-day could not take (a group does not split below the venue's minimum) goes to the next one.
        var carry = 0.0;
        // Today first, whatever one slot holds; the rest of the people spread over the other days by daily cap.
        foreach (var (venue, day, date) in venueDays.Where(vd => vd.Day == 0))
        {
            Place(venue, day, date, [todaySlot], people * venue.DailyCap / venueDays.Sum(vd => (double)vd.Venue.DailyCap));
        }
        var rest = people - visits.Sum(v => (long)v.Headcount);
        carry = 0;
        var later = venueDays.Where(vd => vd.Day > 0).ToList();
        var weight = later.Sum(vd => (double)vd.Venue.DailyCap);
        foreach (var (venue, day, date) in later)
        {
            Place(venue, day, date, DaytimeSlots, rest * venue.DailyCap / weight);
        }
        var today0 = visits.Where(v => v.Day == 0).OrderBy(_ => random.Next()).ToList();
        var others = visits.Where(v => v.Day > 0).OrderBy(_ => random.Next()).ToList();
        return new SeasonPlan([.. today0.Concat(others).Select((v, i) => v with { Index = i })], units);

        void Place(VenueRules venue, int day, DateOnly date, TimeOnly[] slots, double target)
        {
            var room = slots.ToDictionary(s => s, _ => (int)(venue.SlotCapacity * Fill));
            target += carry;
            var limit = Math.Min(target, Math.Min(venue.DailyCap, (double)venue.SlotCapacity * slots.Length) * Fill);
            var unitLoad = new Dictionary<int, int>();
            var smallest = Math.Max(venue.GroupMin, 10);
            var largest = Math.Max(smallest, Math.Min(venue.GroupMax, 50));
            var placed = 0;
            while (true)
            {
                var size = (int)Math.Min(random.Next(smallest, largest + 1), limit - placed);
                var slot = room.MaxBy(r => r.Value).Key;
                if (size < smallest || room[slot] < size)
                {
                    carry = target - placed;
                    return;
                }
                int unit;
                var tries = 0;
                do
                {
                    unit = random.Next(units);
                }
                while (unitLoad.GetValueOrDefault(unit) + size > venue.UnitCapPerDay && ++tries < 50);
                if (tries == 50)
                {
                    carry = target - placed;
                    return;
                }
                unitLoad[unit] = unitLoad.GetValueOrDefault(unit) + size;
                room[slot] -= size;
                placed += size;
                visits.Add(new PlannedVisit(0, venue.Id, day, date, slot, size, UnitId(unit)));
            }
        }
    }
}

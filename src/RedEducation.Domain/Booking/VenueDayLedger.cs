using System.Text.Json.Serialization;
using RedEducation.Domain.Venues;

namespace RedEducation.Domain.Booking;

/// <summary>Where a placement stands in a venue-day.</summary>
public enum PlacementStatus
{
    Confirmed,
    Waitlisted,
    Cancelled,
}

/// <summary>One group's claim on a slot of a venue-day. Mutable because it is the ledger's stored state.</summary>
public sealed class Placement
{
    public required string Id { get; init; }
    public required string UnitId { get; init; }
    public required TimeOnly Slot { get; init; }
    // Changed only by the ledger, which keeps its sums in step.
    [JsonInclude]
    public int Headcount { get; internal set; }

    [JsonInclude]
    public PlacementStatus Status { get; internal set; }
    /// <summary>Arrival order within the day: the waitlist is served in this order.</summary>
    public required long Sequence { get; init; }
}

/// <summary>A placement as it stands after a change: what a journal stores and replays.</summary>
public sealed record PlacementSnapshot(string Id, string UnitId, TimeOnly Slot, int Headcount, PlacementStatus Status, long Sequence);

/// <summary>
/// A request to place a group in a slot. <paramref name="Replaces"/> names a placement of the same day that this one
/// takes over (a booking moved to another slot): its people do not count against the new placement, and it is cancelled
/// when the new one is made.
/// </summary>
public sealed record PlacementRequest(string PlacementId, string UnitId, TimeOnly Slot, int Headcount, bool JoinWaitlist, string? Replaces = null);

/// <summary>What the ledger decided for a request.</summary>
public sealed record LedgerDecision(Refusal Refusal, PlacementStatus Status)
{
    public bool Accepted => Refusal == Refusal.None;
    public static LedgerDecision Refused(Refusal refusal) => new(refusal, PlacementStatus.Cancelled);
}

/// <summary>The load of one slot: people confirmed, free places, people waiting.</summary>
public sealed record SlotLoad(Slot Slot, int Capacity, int Booked, int Remaining, int Waitlisted);

/// <summary>
/// The capacity ledger of one venue on one day: the single place where slot capacity, the daily cap, the unit cap and
/// the waitlist are decided. Invariant: for every slot, confirmed headcount never exceeds the slot capacity, and the
/// day's confirmed headcount never exceeds the daily cap.
/// </summary>
public sealed class VenueDayLedger
{
    public Dictionary<string, Placement> Placements { get; init; } = [];
    public long NextSequence { get; set; }

    public Placement? Find(string placementId) => Placements.GetValueOrDefault(placementId);

    /// <summary>Decides a new placement without changing anything. An already known placement id is decided as it stands.</summary>
    public LedgerDecision Decide(PlacementRequest request, VenueProfile venue)
    {
        if (Placements.TryGetValue(request.PlacementId, out var existing))
        {
            return new LedgerDecision(Refusal.None, existing.Status);
        }
        var replaced = Replaced(request);
        var unitLoad = UnitLoad(request.UnitId) - (replaced?.Headcount ?? 0);
        if (unitLoad + request.Headcount > venue.Limits.UnitCapPerDay)
        {
            return LedgerDecision.Refused(Refusal.UnitCapReached);
        }
        var fits = Fits(request.Slot, request.Headcount, venue, out var refusal, replaced);
        if (fits && !HasQueue(request.Slot))
        {
            return new LedgerDecision(Refusal.None, PlacementStatus.Confirmed);
        }
        if (request.JoinWaitlist)
        {
            return new LedgerDecision(Refusal.None, PlacementStatus.Waitlisted);
        }
        return LedgerDecision.Refused(fits ? Refusal.SlotFull : refusal);
    }

    /// <summary>Records an accepted decision. Callers decide and apply in one step; see <see cref="Place"/>.</summary>
    public Placement Apply(PlacementRequest request, LedgerDecision decision)
    {
        if (Placements.TryGetValue(request.PlacementId, out var existing))
        {
            return existing;
        }
        var totals = Totals; // built from the placements as they are, before this one joins them
        var placement = new Placement
        {
            Id = request.PlacementId,
            UnitId = request.UnitId,
            Slot = request.Slot,
            Headcount = request.Headcount,
            Status = decision.Status,
            Sequence = NextSequence++,
        };
        Placements.Add(placement.Id, placement);
        totals.Add(placement, +1);
        _changed.Add(placement.Id);
        return placement;
    }

    /// <summary>Decides and records a placement atomically, cancelling the placement it replaces in the same step.</summary>
    public (LedgerDecision Decision, Placement? Placement) Place(PlacementRequest request, VenueProfile venue)
    {
        var replaced = Placements.ContainsKey(request.PlacementId) ? null : Replaced(request);
        var decision = Decide(request, venue);
        if (!decision.Accepted)
        {
            return (decision, null);
        }
        var placement = Apply(request, decision);
        if (replaced is not null)
        {
            Update(replaced, replaced.Headcount, PlacementStatus.Cancelled);
            Promote(venue);
        }
        return (decision, placement);
    }

    /// <summary>Changes a placement's headcount. Growth must fit; shrinking frees places for the waitlist.</summary>
    public (Refusal Refusal, IReadOnlyList<Placement> Promoted) Resize(string placementId, int headcount, VenueProfile venue)
    {
        if (!Placements.TryGetValue(placementId, out var placement))
        {
            return (Refusal.NotFound, []);
        }
        if (placement.Status == PlacementStatus.Cancelled)
        {
            return (Refusal.AlreadyCancelled, []);
        }
        var size = BookingRules.CheckGroupSize(venue, headcount);
        if (size != Refusal.None)
        {
            return (size, []);
        }
        var delta = headcount - placement.Headcount;
        if (delta > 0 && UnitLoad(placement.UnitId) + delta > venue.Limits.UnitCapPerDay)
        {
            return (Refusal.UnitCapReached, []);
        }
        if (delta > 0 && placement.Status == PlacementStatus.Confirmed && !Fits(placement.Slot, delta, venue, out var refusal))
        {
            return (refusal, []);
        }
        Update(placement, headcount, placement.Status);
        return (Refusal.None, Promote(venue));
    }

    /// <summary>Cancels a placement; its places go to the waitlist.</summary>
    public (Refusal Refusal, IReadOnlyList<Placement> Promoted) Cancel(string placementId, VenueProfile venue)
    {
        if (!Placements.TryGetValue(placementId, out var placement))
        {
            return (Refusal.NotFound, []);
        }
        if (placement.Status == PlacementStatus.Cancelled)
        {
            return (Refusal.None, []);
        }
        Update(placement, placement.Headcount, PlacementStatus.Cancelled);
        return (Refusal.None, Promote(venue));
    }

    /// <summary>
    /// Confirms waiting groups strictly in arrival order per slot: the head of a slot's queue is confirmed while it
    /// fits, and a head that does not fit keeps its place, so no later group overtakes it.
    /// </summary>
    public IReadOnlyList<Placement> Promote(VenueProfile venue)
    {
        var promoted = new List<Placement>();
        if (Totals.WaitingPlacements == 0)
        {
            return promoted;
        }
        foreach (var queue in Placements.Values
                     .Where(p => p.Status == PlacementStatus.Waitlisted)
                     .OrderBy(p => p.Sequence)
                     .GroupBy(p => p.Slot))
        {
            foreach (var waiting in queue)
            {
                if (!Fits(waiting.Slot, waiting.Headcount, venue, out _))
                {
                    break;
                }
                Update(waiting, waiting.Headcount, PlacementStatus.Confirmed);
                promoted.Add(waiting);
            }
        }
        return promoted;
    }

    /// <summary>1-based place in its slot's waitlist, or 0 when not waiting.</summary>
    public int WaitlistPosition(Placement placement) =>
        placement.Status != PlacementStatus.Waitlisted
            ? 0
            : 1 + Placements.Values.Count(p => p.Status == PlacementStatus.Waitlisted && p.Slot == placement.Slot && p.Sequence < placement.Sequence);

    public IReadOnlyList<SlotLoad> Loads(VenueProfile venue, DateOnly date) =>
        [.. venue.SlotsOn(date).Select(slot =>
        {
            var booked = Booked(slot.Start);
            var remaining = Math.Max(0, Math.Min(venue.Limits.SlotCapacity - booked, venue.Limits.DailyCap - DayTotal()));
            return new SlotLoad(slot, venue.Limits.SlotCapacity, booked, remaining, Totals.WaitingPeople.GetValueOrDefault(slot.Start));
        })];

    public int Booked(TimeOnly slot) => Totals.Booked.GetValueOrDefault(slot);

    public int DayTotal() => Totals.Day;

    private int UnitLoad(string unitId) => Totals.Unit.GetValueOrDefault(unitId);

    /// <summary>The live placement of this day that <paramref name="request"/> replaces, if any.</summary>
    private Placement? Replaced(PlacementRequest request) =>
        request.Replaces is { } id && Placements.TryGetValue(id, out var p) && p.Status != PlacementStatus.Cancelled && p.UnitId == request.UnitId
            ? p
            : null;

    private bool HasQueue(TimeOnly slot) => Totals.WaitingPeople.GetValueOrDefault(slot) > 0;

    private bool Fits(TimeOnly slot, int people, VenueProfile venue, out Refusal refusal, Placement? leaving = null)
    {
        var freed = leaving is { Status: PlacementStatus.Confirmed } ? leaving.Headcount : 0;
        refusal = Booked(slot) - (leaving?.Slot == slot ? freed : 0) + people > venue.Limits.SlotCapacity ? Refusal.SlotFull
            : DayTotal() - freed + people > venue.Limits.DailyCap ? Refusal.DailyCapReached
            : Refusal.None;
        return refusal == Refusal.None;
    }

    private void Update(Placement placement, int headcount, PlacementStatus status)
    {
        Totals.Add(placement, -1);
        placement.Headcount = headcount;
        placement.Status = status;
        Totals.Add(placement, +1);
        _changed.Add(placement.Id);
    }

    /// <summary>The placements added or changed since the last call, as they now stand: what to journal.</summary>
    public IReadOnlyList<PlacementSnapshot> TakeChanges()
    {
        var changes = _changed.Select(id => Placements[id]).Select(p => new PlacementSnapshot(p.Id, p.UnitId, p.Slot, p.Headcount, p.Status, p.Sequence)).ToList();
        _changed.Clear();
        return changes;
    }

    /// <summary>Replays a journaled placement: adds it, or sets it to the stored state.</summary>
    public void Restore(PlacementSnapshot s)
    {
        var totals = Totals; // built from the placements as they are, before this one joins them
        if (Placements.TryGetValue(s.Id, out var existing))
        {
            Totals.Add(existing, -1);
            existing.Headcount = s.Headcount;
            existing.Status = s.Status;
            Totals.Add(existing, +1);
        }
        else
        {
            var placement = new Placement { Id = s.Id, UnitId = s.UnitId, Slot = s.Slot, Headcount = s.Headcount, Status = s.Status, Sequence = s.Sequence };
            Placements.Add(s.Id, placement);
            totals.Add(placement, +1);
        }
        NextSequence = Math.Max(NextSequence, s.Sequence + 1);
    }

    private readonly HashSet<string> _changed = [];

    // Sums kept beside the placements so that a decision costs O(1) however many groups the day holds. Not stored:
    // rebuilt from the placements on first use after loading.
    private LedgerTotals? _totals;

    private LedgerTotals Totals => _totals ??= LedgerTotals.Of(Placements.Values);

    private sealed class LedgerTotals
    {
        public Dictionary<TimeOnly, int> Booked { get; } = [];
        public Dictionary<TimeOnly, int> WaitingPeople { get; } = [];
        public Dictionary<string, int> Unit { get; } = [];
        public int Day { get; private set; }
        public int WaitingPlacements { get; private set; }

        public static LedgerTotals Of(IEnumerable<Placement> placements)
        {
            var totals = new LedgerTotals();
            foreach (var placement in placements)
            {
                totals.Add(placement, +1);
            }
            return totals;
        }

        /// <summary>Adds (sign +1) or removes (sign -1) a placement's contribution.</summary>
        public void Add(Placement p, int sign)
        {
            var people = sign * p.Headcount;
            switch (p.Status)
            {
                case PlacementStatus.Confirmed:
                    Booked[p.Slot] = Booked.GetValueOrDefault(p.Slot) + people;
                    Day += people;
                    Unit[p.UnitId] = Unit.GetValueOrDefault(p.UnitId) + people;
                    break;
                case PlacementStatus.Waitlisted:
                    WaitingPeople[p.Slot] = WaitingPeople.GetValueOrDefault(p.Slot) + people;
                    WaitingPlacements += sign;
                    Unit[p.UnitId] = Unit.GetValueOrDefault(p.UnitId) + people;
                    break;
                case PlacementStatus.Cancelled:
                    break;
            }
        }
    }
}

using RedEducation.Domain.Venues;

namespace RedEducation.Domain.Booking;

/// <summary>Why a booking request was not accepted.</summary>
public enum Refusal
{
    None,
    VenueClosed,
    UnknownSlot,
    TooSoon,
    TooFarAhead,
    SlotStarted,
    GroupTooSmall,
    GroupTooLarge,
    UnitCapReached,
    SlotFull,
    DailyCapReached,
    NotFound,
    AlreadyCancelled,
}

/// <summary>The rules of a venue that do not depend on what else is booked: open days, slots, lead time, group size.</summary>
public static class BookingRules
{
    /// <summary>Checks a new booking for <paramref name="date"/> at <paramref name="slot"/> made at <paramref name="now"/>.</summary>
    public static Refusal CheckNew(VenueProfile venue, DateOnly date, TimeOnly slot, int headcount, DateTimeOffset now)
    {
        if (!venue.IsOpenOn(date))
        {
            return Refusal.VenueClosed;
        }
        if (!venue.HasSlot(date, slot))
        {
            return Refusal.UnknownSlot;
        }
        var daysAhead = date.DayNumber - venue.LocalDate(now).DayNumber;
        if (daysAhead < venue.Limits.LeadMinDays)
        {
            return Refusal.TooSoon;
        }
        if (daysAhead > venue.Limits.LeadMaxDays)
        {
            return Refusal.TooFarAhead;
        }
        if (HasStarted(venue, date, slot, now))
        {
            return Refusal.SlotStarted;
        }
        return CheckGroupSize(venue, headcount);
    }

    public static Refusal CheckGroupSize(VenueProfile venue, int headcount) =>
        headcount < venue.Limits.GroupMin ? Refusal.GroupTooSmall
        : headcount > venue.Limits.GroupMax ? Refusal.GroupTooLarge
        : Refusal.None;

    /// <summary>Whether the slot's start, in the venue's zone, is at or before <paramref name="now"/>.</summary>
    public static bool HasStarted(VenueProfile venue, DateOnly date, TimeOnly slot, DateTimeOffset now)
    {
        var local = date.ToDateTime(slot);
        var start = new DateTimeOffset(local, venue.Zone.GetUtcOffset(local));
        return start <= now;
    }
}

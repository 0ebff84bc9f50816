using RedEducation.Contracts;

namespace RedEducation.Grains.Tests;

/// <summary>What must hold for a venue-day after any mix of bookings, resizes and cancels.</summary>
internal static class CapacityInvariant
{
    /// <param name="day">The day's availability as the venue-day reports it.</param>
    /// <param name="confirmed">Every confirmed group as its booking reports it: slot and headcount.</param>
    /// <param name="waitingHeads">The headcount of the first waiting group of each slot that has a queue.</param>
    public static IReadOnlyList<string> Violations(
        DayAvailability day, IEnumerable<(TimeOnly Slot, int Headcount)> confirmed, IReadOnlyDictionary<TimeOnly, int> waitingHeads)
    {
        var violations = new List<string>();
        var bySlot = confirmed.GroupBy(c => c.Slot).ToDictionary(g => g.Key, g => g.Sum(c => c.Headcount));
        foreach (var slot in day.Slots)
        {
            var held = bySlot.GetValueOrDefault(slot.Start);
            if (held > slot.Capacity)
            {
                violations.Add($"{slot.Start}: {held} people confirmed in a slot of {slot.Capacity}");
            }
            if (slot.Booked != held)
            {
                violations.Add($"{slot.Start}: the slot counts {slot.Booked} booked but bookings hold {held}");
            }
            if (slot.Booked + slot.Remaining != slot.Capacity && slot.Booked <= slot.Capacity)
            {
                violations.Add($"{slot.Start}: booked {slot.Booked} + remaining {slot.Remaining} != capacity {slot.Capacity}");
            }
            if (waitingHeads.TryGetValue(slot.Start, out var head) && head <= slot.Remaining)
            {
                violations.Add($"{slot.Start}: a waiting group of {head} fits in {slot.Remaining} free places but was not promoted");
            }
        }
        return violations;
    }
}

using System.Globalization;

namespace RedEducation.CheckInBench;

/// <summary>
/// The slot the benchmark books. The child server runs on the real clock, so the bookings are for today at a slot that
/// has not started yet (booking refuses started slots) but whose check-in window already contains the whole run.
/// </summary>
internal sealed record VisitPlan(DateOnly Date, TimeOnly Slot, int SlotMinutes, TimeOnly LastEntry, int OpensMinutesBefore, string Note)
{
    public const string ZoneId = "Asia/Shanghai";
    private const int DefaultOpensMinutesBefore = 60;
    /// <summary>Time from planning to the first booking request, with room to spare.</summary>
    private static readonly TimeSpan BookingMargin = TimeSpan.FromMinutes(2);
    /// <summary>Longer than the whole run, which must stay inside one local day and inside the window.</summary>
    private static readonly TimeSpan RunLength = TimeSpan.FromMinutes(6);

    public static TimeZoneInfo Zone { get; } = TimeZoneInfo.FindSystemTimeZoneById(ZoneId);

    public string DateText => Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public string SlotText => Slot.ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>Server arguments the plan needs beyond the defaults.</summary>
    public IReadOnlyList<string> ServerArguments =>
        OpensMinutesBefore == DefaultOpensMinutesBefore ? [] : [$"--Tickets:OpensMinutesBefore={OpensMinutesBefore}"];

    /// <summary>
    /// Hourly slots (as configured for the run) when the next hour still has a slot today; in the last hour of the day
    /// ten-minute slots up to 23:50. Null when even that is too late: then the run has to wait for the next local day.
    /// </summary>
    public static VisitPlan? For(DateTimeOffset now)
    {
        var local = TimeZoneInfo.ConvertTime(now, Zone);
        var today = DateOnly.FromDateTime(local.DateTime);
        if (local.TimeOfDay + RunLength >= TimeSpan.FromDays(1))
        {
            return null;
        }
        foreach (var (minutes, lastEntry) in new[] { (60, new TimeOnly(23, 0)), (10, new TimeOnly(23, 50)) })
        {
            var earliest = local.DateTime + BookingMargin;
            var start = earliest.Date.AddMinutes(Math.Ceiling(earliest.TimeOfDay.TotalMinutes / minutes) * minutes);
            if (DateOnly.FromDateTime(start) != today || TimeOnly.FromDateTime(start) > lastEntry)
            {
                continue;
            }
            // The window opens OpensMinutesBefore ahead of the slot; widen it when the slot is further off than that.
            var needed = (int)Math.Ceiling((start - local.DateTime).TotalMinutes);
            var opens = needed <= DefaultOpensMinutesBefore ? DefaultOpensMinutesBefore : needed + 5;
            var note = (minutes, opens) switch
            {
                (60, DefaultOpensMinutesBefore) => "hourly slots; the next hour's slot, whose check-in window (opening 60 minutes before the slot) already contains now",
                (60, _) => $"hourly slots; the next bookable hour starts in {needed} minutes, so the window is widened with --Tickets:OpensMinutesBefore={opens}",
                _ => "after 22:58 Asia/Shanghai there is no later hourly slot today, so the venues get ten-minute slots (last entry 23:50) and the next one is booked",
            };
            return new VisitPlan(today, TimeOnly.FromDateTime(start), minutes, lastEntry, opens, note);
        }
        return null;
    }
}

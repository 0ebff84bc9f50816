using System.Diagnostics;
using System.Globalization;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;

namespace RedEducation.Bench;

internal enum Outcome
{
    Confirmed,
    Refused,
    Error,
}

/// <summary>One request as the caller saw it: what came back, for how many people, after how long.</summary>
internal readonly record struct Sample(Outcome Outcome, int Headcount, TimeSpan Latency);

/// <summary>
/// Booking bursts on one venue-day: every request books the same slot of the same day, so the whole burst meets in one
/// venue-day grain. Each run uses a fresh venue, hence a fresh venue-day.
/// </summary>
internal sealed class HotVenueDay(IGrainFactory grains)
{
    /// <summary>Room for every request (10,000 groups of at most 10): nothing is refused, everything is decided and stored.</summary>
    public const int AmpleCapacity = 100_000;

    /// <summary>Far less room than demand (about 55,000 people asked for): most requests are refused once the slot fills.</summary>
    public const int ScarceCapacity = 2_000;

    public const int Units = 100;

    /// <summary>
    /// The fewest bookings made before the measured levels, not reported (see <see cref="WarmUp"/>): the runtime compiles the hot paths again, optimized, after
    /// they have run a while (tiered compilation), and a level measured before that reports the compiler, not the system.
    /// </summary>
    public const int WarmUpBookings = 20_000;
    public const int GroupMax = 10;
    public static readonly TimeOnly Slot = new(10, 0);

    private int _runs;

    public async Task<LevelResult> RunAsync(string scenario, int slotCapacity, int concurrency, int requests)
    {
        var venue = Venue($"bench-{scenario}-{Interlocked.Increment(ref _runs)}", slotCapacity);
        await grains.GetGrain<IVenueGrain>(venue.Id).UpdateAsync(venue);
        var date = venue.LocalDate(DateTimeOffset.UtcNow).AddDays(30);

        // The same seed for every run: each level books the same sequence of group sizes.
        var sizes = new Random(20261201);
        var jobs = Enumerable.Range(0, requests).Select(i =>
        {
            var unit = string.Create(CultureInfo.InvariantCulture, $"bench-unit-{i % Units:D3}");
            var id = BookingIds.From(unit, string.Create(CultureInfo.InvariantCulture, $"{venue.Id}:{i}"));
            return (Id: id, Request: new NewBooking(unit, venue.Id, date, Slot, sizes.Next(1, GroupMax + 1), "Bench Contact", "13800000000", JoinWaitlist: false));
        }).ToArray();

        var samples = new Sample[requests];
        string? firstError = null;
        var next = -1;
        var cpu = CpuUse.Now();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(concurrency, requests)).Select(_ => WorkerAsync()));
        var elapsed = Stopwatch.GetElapsedTime(started);
        cpu = CpuUse.Now() - cpu;

        var day = await grains.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venue.Id, date)).GetAvailabilityAsync();
        var slot = day.Slots.Single(s => s.Start == Slot);
        return new LevelResult(scenario, concurrency, slotCapacity, samples, elapsed, cpu, slot.Booked, day.Slots.Sum(s => s.Booked) - slot.Booked, firstError);

        async Task WorkerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                var (id, request) = jobs[i];
                var start = Stopwatch.GetTimestamp();
                Outcome outcome;
                try
                {
                    var result = await grains.GetGrain<IUnitGrain>(request.UnitId).CreateBookingAsync(id, request);
                    outcome = result switch
                    {
                        { Booking.Status: BookingStatus.Confirmed, Booking.Headcount: var n } when n == request.Headcount => Outcome.Confirmed,
                        { Failure: BookingFailure.Refused, Refusal: Refusal.SlotFull } => Outcome.Refused,
                        _ => Outcome.Error,
                    };
                    if (outcome == Outcome.Error)
                    {
                        Interlocked.CompareExchange(ref firstError, $"unexpected result {result}", null);
                    }
                }
#pragma warning disable CA1031 // A failed call is a measured outcome here: count it and go on with the burst.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    outcome = Outcome.Error;
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
                samples[i] = new Sample(outcome, request.Headcount, Stopwatch.GetElapsedTime(start));
            }
        }
    }

    /// <summary>Open every day, hourly slots 09:00-16:00, groups of 1-10, booking up to a year ahead, no unit cap to speak of.</summary>
    private static VenueProfile Venue(string id, int slotCapacity) => new(
        id, "memorial", new LocalizedText("基准测试馆", "Benchmark hall"), new LocalizedText("沈阳", "Shenyang"), LocalizedText.Empty,
        "Asia/Shanghai",
        new VenueCoordinate(new GeoPoint(41.8, 123.4), "benchmark", "WGS84", 10, Approximate: false),
        new DailyHours(new TimeOnly(9, 0), new TimeOnly(16, 0), new TimeOnly(17, 0)),
        [], [],
        new BookingLimits(SlotMinutes: 60, slotCapacity, DailyCap: 1_000_000, GroupMin: 1, GroupMax, LeadMinDays: 0, LeadMaxDays: 366, UnitCapPerDay: 1_000_000),
        90, [], LocalizedText.Empty, null, [], []);
}

/// <summary>One level of one scenario, with the overbooking check made against the venue-day's own count.</summary>
internal sealed record LevelResult(
    string Scenario, int Concurrency, int Capacity, IReadOnlyList<Sample> Samples, TimeSpan Elapsed, CpuUse Cpu, int Booked, int BookedElsewhere, string? FirstError)
{
    public int Confirmed => Samples.Count(s => s.Outcome == Outcome.Confirmed);
    public int Refused => Samples.Count(s => s.Outcome == Outcome.Refused);
    public int Errors => Samples.Count(s => s.Outcome == Outcome.Error);
    public int ConfirmedPeople => Samples.Where(s => s.Outcome == Outcome.Confirmed).Sum(s => s.Headcount);
    public double ConfirmedPerSecond => Confirmed / Elapsed.TotalSeconds;
    public double RequestsPerSecond => Samples.Count / Elapsed.TotalSeconds;

    /// <summary>CPU microseconds per request: this process's (callers and silo, or baseline client) and PostgreSQL's.</summary>
    public string CpuPerRequest => string.Create(CultureInfo.InvariantCulture,
        $"{Cpu.Process.TotalMicroseconds / Samples.Count:N0} / {Cpu.Postgres.TotalMicroseconds / Samples.Count:N0}");

    /// <summary>Every person confirmed to a caller is counted by the venue-day, nobody else is, and the slot holds no more than its capacity.</summary>
    public bool NoOverbooking => ConfirmedPeople == Booked && BookedElsewhere == 0 && Booked <= Capacity;

    public bool Sound => NoOverbooking && Errors == 0;

    public TimeSpan Percentile(double p, Outcome? only = null)
    {
        var sorted = Samples.Where(s => only is null || s.Outcome == only).Select(s => s.Latency).Order().ToArray();
        return sorted.Length == 0 ? TimeSpan.Zero : sorted[Math.Max(0, (int)Math.Ceiling(p * sorted.Length) - 1)];
    }
}

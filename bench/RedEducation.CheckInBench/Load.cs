using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace RedEducation.CheckInBench;

/// <summary>Makes the i-th request of a run.</summary>
internal delegate HttpRequestMessage RequestFactory(long index);

/// <summary>The check-in requests of one venue: each carries a unique nonce and the next code, round robin over the bookings.</summary>
internal sealed class CheckInRequests(BookedVenue venue, string label)
{
    private long _issued;

    public string Label => label;

    public BookedVenue Venue => venue;

    /// <summary>How many more single admissions the bookings hold, so that no scan asks for more than remains.</summary>
    public long Remaining => venue.Capacity - Interlocked.Read(ref _issued);

    public HttpRequestMessage Next(long index)
    {
        var n = Interlocked.Increment(ref _issued) - 1;
        if (n >= venue.Capacity)
        {
            throw new InvalidOperationException($"{venue.VenueId}: all {venue.Capacity} admissions of the bookings are used up");
        }
        var code = venue.Codes[(int)(n % venue.Codes.Count)];
        var body = string.Create(CultureInfo.InvariantCulture, $$"""{"code":"{{code}}","admit":1,"nonce":"{{label}}-{{n}}"}""");
        return new HttpRequestMessage(HttpMethod.Post, $"api/venues/{venue.VenueId}/checkins")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) { Headers = { { "Content-Type", "application/json" } } },
        };
    }
}

/// <summary>What one load run measured, over its measured part only (the warm-up is left out).</summary>
internal sealed record LoadResult(
    string Name,
    string Mode,
    double TargetRate,
    int Concurrency,
    int Requests,
    int Ok,
    IReadOnlyDictionary<string, int> Errors,
    double SentRate,
    double OkRate,
    Percentiles FromScheduled,
    Percentiles FromSent,
    Percentiles GeneratorLag,
    CpuUse Cpu,
    IReadOnlyList<(int Second, Percentiles Latency)> Timeline)
{
    public int ErrorCount => Requests - Ok;
}

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
internal sealed record Percentiles(double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static readonly Percentiles None = new(double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);

    public static Percentiles Of(IEnumerable<double> values)
    {
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return None;
        }
        Array.Sort(sorted);
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Percentiles(Rank(0.50), Rank(0.90), Rank(0.99), Rank(0.999), sorted[^1], sorted.Average());
    }
}

/// <summary>
/// Open-loop and closed-loop HTTP load. Open loop sends at fixed instants whatever the answers do, and measures each
/// request from the instant it was due (so a stalled server is charged for the requests it held up, not only for the
/// ones in flight: no coordinated omission) as well as from the moment it was actually handed to the socket.
/// </summary>
internal static class Load
{
    private const int MaxInFlight = 4000;
    private static readonly double TicksPerMs = Stopwatch.Frequency / 1000.0;

    public static async Task<LoadResult> OpenLoopAsync(
        string name, HttpClient client, RequestFactory make, double rate, TimeSpan warmup, TimeSpan measured, ServerProcess server)
    {
        var warm = (int)(rate * warmup.TotalSeconds);
        var total = warm + (int)(rate * measured.TotalSeconds);
        var due = new long[total];
        var sent = new long[total];
        var done = new long[total];
        var status = new int[total];
        var tasks = new Task[total];
        var inFlight = 0;
        var cpuAtMeasureStart = default(CpuSample);
        var interval = Stopwatch.Frequency / rate;

        async Task SendAsync(int i, HttpRequestMessage request)
        {
            try
            {
                sent[i] = Stopwatch.GetTimestamp();
                using (request)
                using (var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead))
                {
                    status[i] = (int)response.StatusCode;
                }
            }
            catch (HttpRequestException)
            {
                status[i] = -1;
            }
            catch (TaskCanceledException)
            {
                status[i] = -2;
            }
            finally
            {
                done[i] = Stopwatch.GetTimestamp();
                Interlocked.Decrement(ref inFlight);
            }
        }

        // The schedule runs on its own thread so that a busy thread pool cannot delay it; it sleeps (precisely, where
        // the OS allows) between due instants rather than spinning, to leave both cores to the server.
        var scheduler = new Thread(() =>
        {
            var start = Stopwatch.GetTimestamp() + Stopwatch.Frequency / 100;
            for (var i = 0; i < total; i++)
            {
                due[i] = start + (long)(i * interval);
                PreciseSleep.Until(due[i]);
                if (i == warm)
                {
                    cpuAtMeasureStart = CpuSample.Take(server);
                }
                if (Volatile.Read(ref inFlight) >= MaxInFlight)
                {
                    // Bounded: a server that stops answering gets no unbounded pile of requests; these count as errors.
                    status[i] = -3;
                    sent[i] = done[i] = Stopwatch.GetTimestamp();
                    tasks[i] = Task.CompletedTask;
                    continue;
                }
                Interlocked.Increment(ref inFlight);
                tasks[i] = SendAsync(i, make(i));
            }
        })
        { Name = "open-loop-scheduler", IsBackground = true };
        scheduler.Start();
        await Task.Run(scheduler.Join);
        await Task.WhenAll(tasks);
        var cpu = CpuUse.Between(cpuAtMeasureStart, CpuSample.Take(server), total - warm);

        var range = Enumerable.Range(warm, total - warm).ToArray();
        var firstDue = due[warm];
        var lastDone = range.Max(i => done[i]);
        var ok = range.Count(i => status[i] == 200);
        var sentSpan = (sent[total - 1] - sent[warm]) / (double)Stopwatch.Frequency;
        var wall = (lastDone - firstDue) / (double)Stopwatch.Frequency;
        var timeline = range
            .GroupBy(i => (int)((due[i] - firstDue) / Stopwatch.Frequency))
            .OrderBy(g => g.Key)
            .Select(g => (g.Key, Percentiles.Of(g.Select(i => (done[i] - due[i]) / TicksPerMs))))
            .ToList();
        return new LoadResult(
            name, "open loop", rate, 0, range.Length, ok, Errors(range.Select(i => status[i])),
            (range.Length - 1) / sentSpan, ok / wall,
            Percentiles.Of(range.Select(i => (done[i] - due[i]) / TicksPerMs)),
            Percentiles.Of(range.Select(i => (done[i] - sent[i]) / TicksPerMs)),
            Percentiles.Of(range.Select(i => (sent[i] - due[i]) / TicksPerMs)),
            cpu, timeline);
    }

    /// <summary>
    /// <paramref name="concurrency"/> clients each sending their next request as soon as the previous one is answered,
    /// for a warm-up and then the measured time, or until <paramref name="maxRequests"/> have been sent.
    /// </summary>
    public static async Task<LoadResult> ClosedLoopAsync(
        string name, HttpClient client, RequestFactory make, int concurrency, TimeSpan warmup, TimeSpan measured, long maxRequests, ServerProcess server)
    {
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + (long)(warmup.TotalSeconds * Stopwatch.Frequency);
        var stopAt = measureFrom + (long)(measured.TotalSeconds * Stopwatch.Frequency);
        var next = -1L;
        var records = new List<(long Start, long End, int Status)>[concurrency];
        var cpuAtMeasureStart = default(CpuSample);
        using var measuring = new Timer(_ => cpuAtMeasureStart = CpuSample.Take(server), null, warmup, Timeout.InfiniteTimeSpan);

        async Task WorkerAsync(int worker)
        {
            var mine = records[worker] = new List<(long, long, int)>(1 << 16);
            while (Stopwatch.GetTimestamp() < stopAt)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= maxRequests)
                {
                    return;
                }
                var t0 = Stopwatch.GetTimestamp();
                int code;
                try
                {
                    using var request = make(i);
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead);
                    code = (int)response.StatusCode;
                }
                catch (HttpRequestException)
                {
                    code = -1;
                }
                catch (TaskCanceledException)
                {
                    code = -2;
                }
                mine.Add((t0, Stopwatch.GetTimestamp(), code));
            }
        }

        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(w => Task.Run(() => WorkerAsync(w))));
        var counted = records.SelectMany(r => r).Where(r => r.Start >= measureFrom).ToList();
        var cpu = CpuUse.Between(cpuAtMeasureStart, CpuSample.Take(server), counted.Count);
        var end = counted.Count == 0 ? stopAt : counted.Max(r => r.End);
        var wall = (end - measureFrom) / (double)Stopwatch.Frequency;
        var ok = counted.Count(r => r.Status == 200);
        var latency = Percentiles.Of(counted.Select(r => (r.End - r.Start) / TicksPerMs));
        return new LoadResult(
            name, "closed loop", 0, concurrency, counted.Count, ok, Errors(counted.Select(r => r.Status)),
            counted.Count / wall, ok / wall, latency, latency, Percentiles.None,
            cpu, []);
    }

    private static Dictionary<string, int> Errors(IEnumerable<int> statuses) =>
        statuses.Where(s => s != 200).GroupBy(s => s switch
        {
            -1 => "connection error",
            -2 => "timeout",
            -3 => "not sent (in-flight bound)",
            _ => $"HTTP {s}",
        }).ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>Sleeps until a Stopwatch timestamp, with the kernel's high-resolution timer on Linux (~0.05 ms late).</summary>
internal static partial class PreciseSleep
{
    public static void Until(long timestamp)
    {
        while (true)
        {
            var remaining = timestamp - Stopwatch.GetTimestamp();
            if (remaining <= 0)
            {
                return;
            }
            var nanoseconds = remaining * 1_000_000_000 / Stopwatch.Frequency;
            if (OperatingSystem.IsLinux())
            {
                var request = new TimeSpec { Seconds = nanoseconds / 1_000_000_000, Nanoseconds = nanoseconds % 1_000_000_000 };
                _ = NanoSleep(ref request, IntPtr.Zero);
            }
            else
            {
                Thread.Sleep(TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond, nanoseconds / 100)));
            }
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "nanosleep")]
    private static partial int NanoSleep(ref TimeSpec request, IntPtr remaining);
}

using System.Diagnostics;
using RedEducation.CheckInBench;

namespace RedEducation.SeasonBench;

/// <summary>One kind of operation over the public API, as the season ran it: rate, latency, outcomes and server cost.</summary>
internal sealed record PhaseResult(
    string Kind, int Requests, int Ok, IReadOnlyDictionary<string, int> Outcomes, TimeSpan Wall, Percentiles Latency, CpuUse Cpu, double ServerMiBAfter,
    IReadOnlyList<Tenth> ByTenth)
{
    public double OpsPerSecond => Requests / Wall.TotalSeconds;
}

/// <summary>One tenth of a phase's requests: the server's CPU per request and the rate over that stretch.</summary>
internal sealed record Tenth(double ServerMicrosPerRequest, double OpsPerSecond);

internal static class Phase
{
    /// <summary>
    /// Runs <paramref name="operation"/> on every item, <paramref name="parallel"/> at a time (closed loop), timing each
    /// call from request to parsed answer. An operation answers its outcome: "ok…" for success, else what went wrong.
    /// </summary>
    public static async Task<PhaseResult> RunAsync<T>(
        string kind, IReadOnlyList<T> items, int parallel, ServerProcess server, Func<T, CancellationToken, Task<string>> operation, CancellationToken cancellationToken)
    {
        var latencies = new double[items.Count];
        var outcomes = new string[items.Count];
        var next = -1;
        var completed = 0;
        var cpuBefore = CpuSample.Take(server);
        // The server's CPU at each tenth of the requests answered: does an operation cost more as the season fills?
        var marks = new CpuSample[11];
        marks[0] = cpuBefore;
        var clock = Stopwatch.StartNew();
        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < items.Count)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    outcomes[i] = await operation(items[i], cancellationToken);
                }
                catch (HttpRequestException e)
                {
                    outcomes[i] = $"transport error: {e.HttpRequestError}";
                }
                latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                var n = Interlocked.Increment(ref completed);
                if (n * 10L / items.Count != (n - 1) * 10L / items.Count)
                {
                    marks[n * 10L / items.Count] = CpuSample.Take(server);
                }
            }
        }
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, Math.Min(parallel, items.Count))).Select(_ => Task.Run(WorkerAsync, cancellationToken)));
        var wall = clock.Elapsed;
        var cpu = CpuUse.Between(cpuBefore, CpuSample.Take(server), items.Count);
        var counted = outcomes.GroupBy(o => o).ToDictionary(g => g.Key, g => g.Count());
        var result = new PhaseResult(kind, items.Count, outcomes.Count(o => o.StartsWith("ok", StringComparison.Ordinal)), counted, wall,
            Percentiles.Of(latencies), cpu, server.ResidentMiB,
            items.Count < 100 ? [] : [.. Enumerable.Range(0, 10).Select(k => Tenth(marks[k], marks[k + 1], (int)((k + 1L) * items.Count / 10 - k * (long)items.Count / 10)))]);
        Console.WriteLine(Report.Line(result));
        return result;
    }

    private static Tenth Tenth(CpuSample from, CpuSample to, int requests) =>
        new(CpuUse.Between(from, to, requests).ServerMicrosPerRequest, requests / ((to.Timestamp - from.Timestamp) / (double)Stopwatch.Frequency));
}

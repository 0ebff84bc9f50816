using System.Diagnostics;
using System.Globalization;
using RedEducation.Storage;

namespace RedEducation.Bench;

/// <summary>What one durable commit costs on this disk when nothing is batched: the floor under a sequential booking.</summary>
internal sealed record StorageFloor(int Commits, TimeSpan Median, TimeSpan P99, double CommitsPerSecond)
{
    public static StorageFloor Measure(IStateStore store, int commits)
    {
        store.Initialize();
        var latencies = new TimeSpan[commits];
        var payload = new string('x', 200);
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < commits; i++)
        {
            var start = Stopwatch.GetTimestamp();
            store.Commit([new StateWrite("floor", i.ToString(CultureInfo.InvariantCulture), payload, ExpectedVersion: 0)]);
            latencies[i] = Stopwatch.GetElapsedTime(start);
        }
        var elapsed = Stopwatch.GetElapsedTime(started);
        Array.Sort(latencies);
        return new StorageFloor(commits, latencies[commits / 2], latencies[(int)Math.Ceiling(0.99 * commits) - 1], commits / elapsed.TotalSeconds);
    }
}

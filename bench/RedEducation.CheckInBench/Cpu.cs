using System.Diagnostics;
using System.Globalization;

namespace RedEducation.CheckInBench;

/// <summary>CPU time used so far by the server, by this process and by the whole machine.</summary>
internal readonly record struct CpuSample(long Timestamp, TimeSpan Server, TimeSpan Bench, TimeSpan Machine)
{
    public static CpuSample Take(ServerProcess server)
    {
        using var self = Process.GetCurrentProcess();
        return new CpuSample(Stopwatch.GetTimestamp(), server.CpuTime, self.TotalProcessorTime, MachineBusy());
    }

    /// <summary>Busy time of all cores from /proc/stat (user, nice, system, irq, softirq, steal), in clock ticks of 10 ms.</summary>
    private static TimeSpan MachineBusy()
    {
        if (!File.Exists("/proc/stat"))
        {
            return TimeSpan.Zero;
        }
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => long.Parse(fields[i], CultureInfo.InvariantCulture);
        var ticks = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }
}

/// <summary>How busy the cores were over a run, in cores (1.0 = one core all the time), and the server's CPU per request.</summary>
internal sealed record CpuUse(double ServerCores, double BenchCores, double OtherCores, double ServerMicrosPerRequest)
{
    public static CpuUse Between(CpuSample from, CpuSample to, int requests)
    {
        var wall = (to.Timestamp - from.Timestamp) / (double)Stopwatch.Frequency;
        var server = (to.Server - from.Server).TotalSeconds;
        var bench = (to.Bench - from.Bench).TotalSeconds;
        var machine = (to.Machine - from.Machine).TotalSeconds;
        return new CpuUse(server / wall, bench / wall, Math.Max(0, machine - server - bench) / wall, requests == 0 ? 0 : server * 1e6 / requests);
    }
}

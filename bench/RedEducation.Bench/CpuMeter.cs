using System.Diagnostics;
using System.Globalization;

namespace RedEducation.Bench;

/// <summary>CPU time used so far by this process (benchmark callers and silo) and by the PostgreSQL processes of the machine.</summary>
internal readonly record struct CpuUse(TimeSpan Process, TimeSpan Postgres)
{
    /// <summary>
    /// Reads /proc: the utime and stime fields (14th and 15th) of every process named "postgres", in clock ticks of 1/100 s
    /// (USER_HZ, 100 on Linux, see proc(5)). A backend that exits during a level takes its time with it; the benchmark's
    /// connections stay open in their pools for the whole run.
    /// </summary>
    public static CpuUse Now()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => char.IsAsciiDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "comm")).Trim() != "postgres")
                {
                    continue;
                }
                // The command name in parentheses may hold spaces; the fields after it are space-separated.
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                ticks += long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was being read.
            }
        }
        using var self = System.Diagnostics.Process.GetCurrentProcess();
        return new CpuUse(self.TotalProcessorTime, TimeSpan.FromSeconds(ticks / 100.0));
    }

    public static CpuUse operator -(CpuUse after, CpuUse before) => new(after.Process - before.Process, after.Postgres - before.Postgres);
}

using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace RedEducation.CheckInBench;

/// <summary>What the run ran on.</summary>
internal sealed record Machine(int Cores, string Cpu, string Memory, string Os, string Runtime, string Sdk)
{
    public static async Task<Machine> DescribeAsync()
    {
        return new Machine(
            Environment.ProcessorCount,
            ProcLine("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
            ProcLine("/proc/meminfo", "MemTotal") is { } kb && long.TryParse(kb.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], CultureInfo.InvariantCulture, out var k)
                ? string.Create(CultureInfo.InvariantCulture, $"{k / 1024.0 / 1024.0:F1} GiB")
                : "unknown",
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            await DotnetVersionAsync());
    }

    /// <summary>The 1, 5 and 15 minute load averages, as /proc/loadavg gives them.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static string? ProcLine(string file, string key)
    {
        if (!File.Exists(file))
        {
            return null;
        }
        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal));
        return line?[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
    }

    private static async Task<string> DotnetVersionAsync()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
        if (process is null)
        {
            return "unknown";
        }
        var version = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return version.Trim();
    }
}

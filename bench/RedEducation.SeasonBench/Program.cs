using System.Globalization;
using RedEducation.CheckInBench;
using RedEducation.SeasonBench;

// The province season of quality.md through the public HTTP API of a real server process, at 1x (the baseline, measured
// in the same run) and at 10x. See bench/results/season.md for what it reports.
var settings = Settings.Parse(args);
var root = Settings.RepoRoot();
var began = DateTimeOffset.UtcNow;
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(45));
var machine = await Machine.DescribeAsync();
var results = new List<SeasonResult>();
foreach (var scale in settings.Scales)
{
    results.Add(await Simulation.RunAsync(root, settings, scale, cancel.Token));
}
var report = Report.Render(began, machine, settings, results);
var resultsPath = settings.ResultsFile is { } file ? Path.IsPathRooted(file) ? file : Path.Combine(root, file) : null;
report += Report.KeptNotes(resultsPath ?? Path.Combine(root, "bench", "results", "season.md"));
Console.WriteLine();
Console.WriteLine(report);
if (resultsPath is not null)
{
    await File.WriteAllTextAsync(resultsPath, report, cancel.Token);
    Console.WriteLine($"Written to {Path.GetRelativePath(root, resultsPath)}.");
}
return results.All(r => r.Problems.Count == 0) ? 0 : 1;

namespace RedEducation.SeasonBench
{
    /// <summary>Command-line settings; the defaults are the season of quality.md at 1x and 10x.</summary>
    internal sealed record Settings(
        IReadOnlyList<int> Scales, int Units, long People, int Days, int Parallel, double ResizeShare, double CancelShare, int Seed, string? ResultsFile)
    {
        public static Settings Parse(string[] args)
        {
            var s = new Settings([1, 10], 5000, 120_000, 60, 32, 0.10, 0.05, 2026, Path.Combine("bench", "results", "season.md"));
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                double Number() => double.Parse(Value(), CultureInfo.InvariantCulture);
                s = args[i] switch
                {
                    "--scales" => s with { Scales = [.. Value().Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture))] },
                    "--units" => s with { Units = (int)Number() },
                    "--people" => s with { People = (long)Number() },
                    "--days" => s with { Days = (int)Number() },
                    "--parallel" => s with { Parallel = (int)Number() },
                    "--resize-share" => s with { ResizeShare = Number() },
                    "--cancel-share" => s with { CancelShare = Number() },
                    "--seed" => s with { Seed = (int)Number() },
                    "--results" => s with { ResultsFile = Value() },
                    "--no-results" => s with { ResultsFile = null },
                    _ => throw new ArgumentException(
                        $"unknown option {args[i]}; options: --scales 1,10 --units N --people N --days N --parallel N --resize-share F --cancel-share F --seed N --results FILE --no-results"),
                };
            }
            return s;
        }

        /// <summary>The repository root: the nearest directory upwards holding RedEducation.sln.</summary>
        public static string RepoRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "RedEducation.sln")))
                {
                    return dir.FullName;
                }
            }
            throw new InvalidOperationException($"no RedEducation.sln above {AppContext.BaseDirectory}");
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using RedEducation.CheckInBench;

// Online check-in over HTTP against the real server, with offline Ed25519 verification measured in the same run as
// the baseline. See bench/results/check-in.md for what it reports.
var settings = Settings.Parse(args);
var root = Settings.RepoRoot();
var clock = TimeProvider.System;
var began = clock.GetUtcNow();
var total = Stopwatch.StartNew();
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
var ct = cancel.Token;

var plan = VisitPlan.For(clock.GetUtcNow());
while (plan is null)
{
    Console.WriteLine($"It is {TimeZoneInfo.ConvertTime(clock.GetUtcNow(), VisitPlan.Zone):HH:mm} in {VisitPlan.ZoneId}: no slot left today that the run could book and scan before midnight. Waiting for the next day.");
    await Task.Delay(TimeSpan.FromSeconds(30), ct);
    plan = VisitPlan.For(clock.GetUtcNow());
}
Console.WriteLine($"Visit: {plan.DateText} {plan.SlotText} ({plan.Note}).");

var machine = await Machine.DescribeAsync();
var loadBefore = Machine.LoadAverage();
var serverArguments = plan.ServerArguments.Concat(settings.ServerArguments).ToList();
var serverDirectory = settings.ServerDirectory ?? ServerProcess.ReleaseDirectory(root);
await using var server = await ServerProcess.StartAsync(serverDirectory, serverArguments, settings.ServerEnvironment, ct);
var startedIn = total.Elapsed;
Console.WriteLine($"Started {server} in {startedIn.TotalSeconds:F1} s.");
using var api = new Api(server.BaseAddress);

// Set-up: venues opened for same-day visits, bookings for today's slot, one staff account per venue.
var admin = await api.SignInAsync("admin", ct);
var units = new List<HttpClient>();
foreach (var unit in new[] { "unit1", "unit2", "unit3" })
{
    units.Add(await api.SignInAsync(unit, ct));
}
var setupClock = Stopwatch.StartNew();
var scenarios = new (string Key, string VenueId, int Bookings, int Headcount)[]
{
    ("open", "peishuichi-battle-site", settings.Bookings, 50),
    ("single", "mangniutun-command-post", 1, 20_000),
    ("closed16", "heishan-memorial", 500, 200),
    ("closed64", "tashan-memorial", 500, 200),
};
var venues = new Dictionary<string, (CheckInRequests Requests, HttpClient Staff)>();
foreach (var (key, venueId, bookings, headcount) in scenarios)
{
    await Api.OpenUpAsync(admin, venueId, plan, Math.Max(1000, headcount), ct);
    var booked = await Api.BookAsync(units, venueId, plan, bookings, headcount, 32, ct);
    var staff = await api.SignInAsync($"staff-{venueId}", ct);
    venues[key] = (new CheckInRequests(booked, key), staff);
}
var bookingCount = scenarios.Sum(s => s.Bookings);
var setupTime = setupClock.Elapsed;
Console.WriteLine($"Booked {bookingCount} groups at {scenarios.Length} venues in {setupTime.TotalSeconds:F1} s ({bookingCount / setupTime.TotalSeconds:F0} bookings/s).");
foreach (var (requests, staff) in venues.Values)
{
    using var probe = requests.Next(-1);
    using var answer = await staff.SendAsync(probe, ct);
    if ((int)answer.StatusCode != 200)
    {
        throw new InvalidOperationException($"probe check-in at {requests.Venue.VenueId}: HTTP {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync(ct)}");
    }
}

// Baseline, same run: the same codes verified offline with the public keys a desk receives in its manifest.
var (open, openStaff) = venues["open"];
var keys = await Api.PublicKeysAsync(openStaff, open.Venue.VenueId, plan, ct);
var verify = VerifyBaseline.Measure(open.Venue.Codes, keys);
Console.WriteLine($"Baseline: {verify.SingleThread:F0} verifications/s on 1 thread, {verify.TwoThreads:F0}/s on 2 threads.");

var results = new List<LoadResult>();
async Task<LoadResult> RunAsync(Task<LoadResult> run)
{
    var result = await run;
    results.Add(result);
    Console.WriteLine(Report.Line(result));
    return result;
}

// Where the time goes, first on an endpoint that does nothing (before any check-in load has touched the server)...
await RunAsync(Load.OpenLoopAsync(
    "GET /health/live (HTTP floor)", api.Anonymous, _ => new HttpRequestMessage(HttpMethod.Get, "health/live"),
    settings.Rate, TimeSpan.FromSeconds(1), settings.Diagnostic, server));
var main = await RunAsync(Load.OpenLoopAsync(
    "check-in, spread over bookings", openStaff, open.Next, settings.Rate, settings.Warmup, settings.Measured, server));
// ... then at lower rates, to show how latency depends on load on these two cores ...
foreach (var rate in new[] { settings.Rate / 2, settings.Rate / 4 })
{
    await RunAsync(Load.OpenLoopAsync(
        F($"check-in, spread, at {rate:N0}/s"), openStaff, open.Next, rate, TimeSpan.FromSeconds(1), settings.Diagnostic, server));
}
// ... and with every scan on one booking instead of many.
var (single, singleStaff) = venues["single"];
await RunAsync(Load.OpenLoopAsync(
    "check-in, all on one booking", singleStaff, single.Next, settings.Rate, TimeSpan.FromSeconds(1), settings.Diagnostic, server));
foreach (var (key, concurrency) in new[] { ("closed16", 16), ("closed64", 64) })
{
    var (requests, staff) = venues[key];
    await RunAsync(Load.ClosedLoopAsync(
        $"check-in, {concurrency} concurrent", staff, requests.Next, concurrency, TimeSpan.FromSeconds(1), settings.ClosedMeasured,
        requests.Remaining - 100, server));
}

var report = Report.Render(new BenchRun(
    began, machine, plan, serverArguments, startedIn, bookingCount, setupTime, verify, main, results, server.ResidentMiB, total.Elapsed, loadBefore, Machine.LoadAverage(), settings));
var resultsPath = settings.ResultsFile is { } file ? Path.IsPathRooted(file) ? file : Path.Combine(root, file) : null;
// The measured part is rewritten by every run; the findings written by hand below the marker are kept.
report += Report.KeptNotes(resultsPath ?? Path.Combine(root, "bench", "results", "check-in.md"));
Console.WriteLine();
Console.WriteLine(report);
if (resultsPath is not null)
{
    Directory.CreateDirectory(Path.GetDirectoryName(resultsPath)!);
    await File.WriteAllTextAsync(resultsPath, report, ct);
    Console.WriteLine($"Written to {Path.GetRelativePath(root, resultsPath)}.");
}

static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

namespace RedEducation.CheckInBench
{
    /// <summary>Command-line settings; the defaults are the run the results file reports.</summary>
    internal sealed record Settings(
        double Rate, TimeSpan Warmup, TimeSpan Measured, TimeSpan Diagnostic, TimeSpan ClosedMeasured, int Bookings,
        string? ResultsFile, IReadOnlyList<string> ServerArguments, IReadOnlyDictionary<string, string> ServerEnvironment, string? ServerDirectory = null)
    {
        public static Settings Parse(string[] args)
        {
            var s = new Settings(2000, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5), 2000,
                Path.Combine("bench", "results", "check-in.md"), [], new Dictionary<string, string>());
            var server = new List<string>();
            var environment = new Dictionary<string, string>();
            for (var i = 0; i < args.Length; i++)
            {
                string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
                double Number() => double.Parse(Value(), CultureInfo.InvariantCulture);
                s = args[i] switch
                {
                    "--rate" => s with { Rate = Number() },
                    "--seconds" => s with { Measured = TimeSpan.FromSeconds(Number()) },
                    "--warmup" => s with { Warmup = TimeSpan.FromSeconds(Number()) },
                    "--diagnostic-seconds" => s with { Diagnostic = TimeSpan.FromSeconds(Number()) },
                    "--closed-seconds" => s with { ClosedMeasured = TimeSpan.FromSeconds(Number()) },
                    "--bookings" => s with { Bookings = (int)Number() },
                    "--results" => s with { ResultsFile = Value() },
                    "--no-results" => s with { ResultsFile = null },
                    "--server-arg" => AddServer(s, Value()),
                    "--server-env" => AddEnvironment(s, Value()),
                    // Another build of the server (a copy of an earlier bin/Release/net10.0), to compare two builds in turn.
                    "--server-dir" => s with { ServerDirectory = Path.GetFullPath(Value()) },
                    _ => throw new ArgumentException(
                        $"unknown option {args[i]}; options: --rate N --seconds N --warmup N --diagnostic-seconds N --closed-seconds N --bookings N --results FILE --no-results --server-arg ARG --server-env NAME=VALUE --server-dir DIR"),
                };
            }
            // Every scan admits one person, and no booking may be asked for more people than it holds.
            var diagnostic = (1 + s.Diagnostic.TotalSeconds) * s.Rate;
            if (s.Rate * (s.Warmup + s.Measured).TotalSeconds + diagnostic * 0.75 > s.Bookings * 50.0 * 0.9)
            {
                throw new ArgumentException("the bookings hold too few admissions for that rate and duration; raise --bookings");
            }
            if (diagnostic > 19_000)
            {
                throw new ArgumentException("the single-booking run would admit more than its 20,000 people; shorten --diagnostic-seconds");
            }
            return s;

            Settings AddServer(Settings current, string argument)
            {
                server.Add(argument);
                return current with { ServerArguments = [.. server] };
            }

            Settings AddEnvironment(Settings current, string assignment)
            {
                var cut = assignment.IndexOf('=', StringComparison.Ordinal);
                if (cut <= 0)
                {
                    throw new ArgumentException($"--server-env needs NAME=VALUE, not {assignment}");
                }
                environment[assignment[..cut]] = assignment[(cut + 1)..];
                return current with { ServerEnvironment = new Dictionary<string, string>(environment) };
            }
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

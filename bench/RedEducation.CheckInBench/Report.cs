using System.Globalization;
using System.Text;

namespace RedEducation.CheckInBench;

/// <summary>Everything one run found, for the report.</summary>
internal sealed record BenchRun(
    DateTimeOffset Began,
    Machine Machine,
    VisitPlan Plan,
    IReadOnlyList<string> ServerArguments,
    TimeSpan ServerStart,
    int Bookings,
    TimeSpan SetupTime,
    VerifyRates Verify,
    LoadResult Main,
    IReadOnlyList<LoadResult> Runs,
    double ServerResidentMiB,
    TimeSpan Duration,
    string LoadBefore,
    string LoadAfter,
    Settings Settings);

/// <summary>The Markdown report, written to bench/results/check-in.md and printed.</summary>
internal static class Report
{
    public const double TargetP99Ms = 5.0;
    public const double TargetRate = 2000;

    public static string Line(LoadResult r) => F(
        $"{r.Name,-34} {r.Mode,-11} sent {r.SentRate,7:F0}/s ok {r.OkRate,7:F0}/s  p50 {r.FromScheduled.P50,6:F2}  p90 {r.FromScheduled.P90,6:F2}  p99 {r.FromScheduled.P99,7:F2}  max {r.FromScheduled.Max,7:F2} ms  errors {r.ErrorCount}");

    public static string Render(BenchRun run)
    {
        var m = run.Main;
        var met = m.FromScheduled.P99 < TargetP99Ms && m.ErrorCount == 0 && m.SentRate >= TargetRate * 0.98;
        var health = run.Runs.FirstOrDefault(r => r.Name.StartsWith("GET /health", StringComparison.Ordinal));
        var single = run.Runs.FirstOrDefault(r => r.Name.Contains("one booking", StringComparison.Ordinal));
        var closed = run.Runs.Where(r => r.Mode == "closed loop").ToList();
        var best = closed.Count == 0 ? null : closed.MaxBy(r => r.OkRate);
        var verifyMicros = 1e6 / run.Verify.SingleThread;
        var local = TimeZoneInfo.ConvertTime(run.Began, VisitPlan.Zone);
        var s = new StringBuilder();

        s.AppendLine("# Online check-in over HTTP");
        s.AppendLine();
        s.AppendLine(F($"Target (docs: quality bars): **p99 < {TargetP99Ms:F0} ms at {TargetRate:N0} scans/s over HTTP**; baseline: offline verification alone (Ed25519 verifications/s), measured in the same run."));
        s.AppendLine();
        s.AppendLine(met
            ? F($"**Result: met.** p99 {m.FromScheduled.P99:F2} ms (from the scheduled send time) at {m.SentRate:N0} scans/s, {m.ErrorCount} errors.")
            : F($"**Result: not met.** p99 {m.FromScheduled.P99:F2} ms (from the scheduled send time) at {m.SentRate:N0} scans/s sent, {m.OkRate:N0}/s answered 200, {m.ErrorCount} errors."));
        s.AppendLine();
        s.AppendLine(F($"During the main run the server used {m.Cpu.ServerCores:F2} of the {run.Machine.Cores} cores, the load generator {m.Cpu.BenchCores:F2} and other processes on this shared machine {m.Cpu.OtherCores:F2}."));
        s.AppendLine();
        s.AppendLine(F($"- Run: {run.Began:yyyy-MM-dd HH:mm} UTC ({local:HH:mm} {VisitPlan.ZoneId}), {run.Duration.TotalSeconds:F0} s in all."));
        s.AppendLine(F($"- Machine: {run.Machine.Cores} cores (`nproc`), {run.Machine.Cpu}, {run.Machine.Memory} RAM, {run.Machine.Os}; `dotnet --version` {run.Machine.Sdk}, {run.Machine.Runtime}."));
        s.AppendLine(F($"- Server: the Release build of RedEducation.Server as a child process (Kestrel on 127.0.0.1, one co-hosted Orleans silo, grain state in SQLite, WAL, synchronous=FULL, group commit), fresh data directory, ready in {run.ServerStart.TotalSeconds:F1} s; {run.ServerResidentMiB:F0} MiB resident at the end."));
        s.AppendLine(run.ServerArguments.Count == 0
            ? "- Server arguments beyond ports and data directory: none."
            : $"- Server arguments beyond ports and data directory: `{string.Join(' ', run.ServerArguments)}`.");
        if (run.Settings.ServerEnvironment.Count > 0)
        {
            s.AppendLine("- Server environment: `" + string.Join(' ', run.Settings.ServerEnvironment.Select(e => e.Key + "=" + e.Value)) + "`.");
        }
        s.AppendLine("- Load generator: this process on the same 2 cores (HttpClient, SocketsHttpHandler, HTTP/1.1 keep-alive, loopback).");
        s.AppendLine(F($"- Visit: {run.Plan.DateText} at {run.Plan.SlotText} ({run.Plan.Note}). {run.Bookings:N0} bookings made through POST /api/bookings as unit1..3 in {run.SetupTime.TotalSeconds:F1} s."));
        s.AppendLine();

        s.AppendLine("## Results");
        s.AppendLine();
        s.AppendLine("| measurement | rate | p50 | p90 | p99 | p99.9 | max | errors |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        s.AppendLine(F($"| **baseline**: `TicketCode.Verify`, 1 thread (median of {run.Verify.SingleRounds.Count}) | {run.Verify.SingleThread:N0} verifications/s | {verifyMicros / 1000:F3} per code | | | | | 0 |"));
        s.AppendLine(F($"| **baseline**: `TicketCode.Verify`, 2 threads (median of {run.Verify.TwoRounds.Count}) | {run.Verify.TwoThreads:N0} verifications/s | | | | | | 0 |"));
        foreach (var r in run.Runs)
        {
            var rate = r.Mode == "open loop"
                ? F($"{r.TargetRate:N0}/s offered, {r.SentRate:N0}/s sent, {r.OkRate:N0}/s ok")
                : F($"**{r.OkRate:N0}/s ok** ({r.Concurrency} in flight)");
            var p = r.FromScheduled;
            s.AppendLine(F($"| {r.Name} ({r.Mode}{(r.Mode == "open loop" ? ", from scheduled send" : "")}) | {rate} | {p.P50:F2} | {p.P90:F2} | **{p.P99:F2}** | {p.P999:F2} | {p.Max:F2} | {Errors(r)} |"));
            if (r.Mode == "open loop")
            {
                var q = r.FromSent;
                s.AppendLine(F($"| … same, from actual send | | {q.P50:F2} | {q.P90:F2} | {q.P99:F2} | {q.P999:F2} | {q.Max:F2} | |"));
            }
        }
        s.AppendLine();
        s.AppendLine("Latencies in milliseconds. Open loop: requests are due at fixed instants (rate × time) whatever the answers do; "
            + "\"from scheduled send\" counts from the due instant, so time a request spent waiting behind a slow one is charged "
            + "(no coordinated omission), \"from actual send\" from the moment it was handed to HttpClient. "
            + F($"The generator's own lateness (sent minus due) was p50 {m.GeneratorLag.P50:F3} / p99 {m.GeneratorLag.P99:F3} / max {m.GeneratorLag.Max:F2} ms in the main run."));
        s.AppendLine();

        s.AppendLine("## Ratios against the baseline");
        s.AppendLine();
        s.AppendLine("| ratio | value |");
        s.AppendLine("|---|---:|");
        s.AppendLine(F($"| target rate ÷ offline verifications/s on 1 thread (share of one core the signature checks alone need at {TargetRate:N0}/s) | {TargetRate / run.Verify.SingleThread:P1} |"));
        if (best is not null)
        {
            s.AppendLine(F($"| best closed-loop check-ins/s ÷ offline verifications/s, 2 threads | {best.OkRate / run.Verify.TwoThreads:P1} ({best.OkRate:N0} ÷ {run.Verify.TwoThreads:N0}) |"));
            s.AppendLine(F($"| offline verifications/s, 2 threads ÷ best closed-loop check-ins/s | {run.Verify.TwoThreads / best.OkRate:F1}× |"));
        }
        s.AppendLine(F($"| check-in p50 at {TargetRate:N0}/s ÷ one offline verification | {m.FromScheduled.P50 * 1000 / verifyMicros:F0}× ({m.FromScheduled.P50:F2} ms ÷ {verifyMicros:F0} µs) |"));
        s.AppendLine(F($"| server CPU per check-in (open loop) ÷ one offline verification | {m.Cpu.ServerMicrosPerRequest / verifyMicros:F1}× ({m.Cpu.ServerMicrosPerRequest:F0} µs ÷ {verifyMicros:F0} µs) |"));
        s.AppendLine();

        s.AppendLine("## Where the time goes");
        s.AppendLine();
        s.AppendLine(F($"| run | server CPU per request | cores busy: server | load generator | other processes | p50 | p99 |"));
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var r in run.Runs)
        {
            s.AppendLine(F($"| {r.Name} ({r.Mode}) | {r.Cpu.ServerMicrosPerRequest:F0} µs | {r.Cpu.ServerCores:F2} | {r.Cpu.BenchCores:F2} | {r.Cpu.OtherCores:F2} | {r.FromScheduled.P50:F2} ms | {r.FromScheduled.P99:F2} ms |"));
        }
        s.AppendLine();
        s.AppendLine(F($"Cores busy are averages over the measured part, of the machine's {run.Machine.Cores}; \"other processes\" is whatever else ran on the machine meanwhile (this is a shared machine: load average {run.LoadBefore} before the run, {run.LoadAfter} after)."));
        s.AppendLine();
        if (health is not null)
        {
            s.AppendLine(F($"- HTTP floor: GET /health/live at the same rate (no authentication, no grain call, no storage) answers at p50 {health.FromScheduled.P50:F2} / p99 {health.FromScheduled.P99:F2} ms; the check-in adds {m.FromScheduled.P50 - health.FromScheduled.P50:F2} ms at p50 and {m.FromScheduled.P99 - health.FromScheduled.P99:F2} ms at p99."));
        }
        if (single is not null)
        {
            s.AppendLine(F($"- Every scan on one booking (a fresh venue-day, {single.Requests:N0} scans) instead of spread over {run.Settings.Bookings:N0} bookings ({m.Requests / Math.Max(1, run.Settings.Bookings):N0} scans each): p50 {single.FromScheduled.P50:F2} / p99 {single.FromScheduled.P99:F2} ms against p50 {m.FromScheduled.P50:F2} / p99 {m.FromScheduled.P99:F2} ms."));
        }
        s.AppendLine();
        s.AppendLine("p99 per second of each open-loop run (from scheduled send, ms): does latency drift as the day's check-in ledger grows, and is a bad p99 a spike or the whole run?");
        s.AppendLine();
        var open = run.Runs.Where(r => r.Timeline.Count > 0).ToList();
        var seconds = open.Max(r => r.Timeline.Count);
        s.AppendLine("| run | " + string.Join(" | ", Enumerable.Range(0, seconds).Select(i => F($"{i}"))) + " |");
        s.AppendLine("|---|" + string.Concat(Enumerable.Repeat("---:|", seconds)));
        foreach (var r in open)
        {
            s.AppendLine(F($"| {r.Name} | ") + string.Join(" | ", Enumerable.Range(0, seconds).Select(i => i < r.Timeline.Count ? F($"{r.Timeline[i].Latency.P99:F1}") : "")) + " |");
        }
        s.AppendLine();

        s.AppendLine("## How");
        s.AppendLine();
        s.AppendLine(F($"1. Baseline: the run's real ticket codes (from the bookings' API responses) verified with `TicketCode.Verify` and the public keys of the desk manifest (GET /api/venues/{{id}}/manifest), on 1 and on 2 threads, {run.Verify.SingleRounds.Count} rounds of 0.4 s each after a warm-up round; the median is reported. Every verification must succeed."));
        s.AppendLine(F($"2. Set-up: as admin, each venue is PATCHed for same-day group visits (leadMinDays 0, open 00:00–23:59, no closed days, {run.Plan.SlotMinutes}-minute slots, slotCapacity 100,000, dailyCap 1,000,000, unitCapPerDay 1,000,000); then groups are booked for today's {run.Plan.SlotText} slot, one Idempotency-Key each. Main venue: {run.Settings.Bookings:N0} bookings of 50 people, so no scan asks for more than remains."));
        s.AppendLine(F($"3. Main run: POST /api/venues/{{venueId}}/checkins `{{code, admit: 1, nonce}}` as the venue's staff, a unique nonce each, codes round robin over the bookings, open loop at {run.Settings.Rate:N0}/s: {run.Settings.Warmup.TotalSeconds:F0} s warm-up (not counted), then {run.Settings.Measured.TotalSeconds:F0} s measured. Anything but HTTP 200 is an error."));
        s.AppendLine(F($"4. Diagnostics, open loop, {run.Settings.Diagnostic.TotalSeconds:F0} s each after 1 s warm-up: GET /health/live at {run.Settings.Rate:N0}/s before any check-in (the HTTP floor); the same check-ins at half and a quarter of the rate; check-ins at {run.Settings.Rate:N0}/s all on a single booking (20,000 people) at another venue."));
        s.AppendLine(F($"5. Maximum throughput: closed loop with 16 and with 64 requests in flight ({run.Settings.ClosedMeasured.TotalSeconds:F0} s each after 1 s warm-up), each on its own venue with 500 bookings of 200 people."));
        s.AppendLine("6. Server CPU is the child process's user + system time over the measured part, from /proc; the machine's busy time from /proc/stat. The load generator shares the machine's cores with the server.");
        s.AppendLine();
        s.AppendLine("Run it: `dotnet run -c Release --project bench/RedEducation.CheckInBench` (writes this file; `--no-results` to only print).");
        return s.ToString();
    }

    /// <summary>Marks where the hand-written findings of the results file begin; a run keeps everything from there on.</summary>
    public const string NotesMarker = "<!-- Hand-written findings below this line are kept when the benchmark rewrites this file. -->";

    public static string KeptNotes(string resultsFile)
    {
        if (!File.Exists(resultsFile))
        {
            return "";
        }
        var text = File.ReadAllText(resultsFile);
        var at = text.IndexOf(NotesMarker, StringComparison.Ordinal);
        return at < 0 ? "" : Environment.NewLine + text[at..];
    }

    private static string Errors(LoadResult r) =>
        r.ErrorCount == 0 ? "0" : F($"{r.ErrorCount} ({string.Join(", ", r.Errors.Select(e => $"{e.Key}: {e.Value}"))})");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

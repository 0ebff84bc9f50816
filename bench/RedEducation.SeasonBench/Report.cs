using System.Globalization;
using System.Text;
using RedEducation.CheckInBench;

namespace RedEducation.SeasonBench;

/// <summary>The Markdown report, written to bench/results/season.md and printed.</summary>
internal static class Report
{
    /// <summary>Marks where the hand-written findings of the results file begin; a run keeps everything from there on.</summary>
    public const string NotesMarker = "<!-- Hand-written findings below this line are kept when the benchmark rewrites this file. -->";

    public static string Line(PhaseResult r) => F(
        $"{r.Kind,-22} {r.Requests,7:N0} requests {r.OpsPerSecond,8:N0}/s  p50 {r.Latency.P50,7:F2}  p99 {r.Latency.P99,8:F2}  max {r.Latency.Max,8:F1} ms  server {r.Cpu.ServerMicrosPerRequest,6:F0} µs/op  {Others(r)}");

    public static string Render(DateTimeOffset began, Machine machine, Settings settings, IReadOnlyList<SeasonResult> runs)
    {
        var s = new StringBuilder();
        var baseline = runs[0];
        var clean = runs.All(r => r.Problems.Count == 0);
        s.AppendLine("# Province season over the public HTTP API");
        s.AppendLine();
        s.AppendLine(F($"Target (quality.md): a season of {settings.Units:N0} units, 6+ venues, {settings.Days} days and {settings.People:N0} person-visits booked, resized, cancelled and checked in through the public API finishes; report operations/s and memory; then 10× the season, and show how cost grows. Baseline: the same season at {baseline.Scale}×, measured in the same run."));
        s.AppendLine();
        s.AppendLine(clean
            ? "**Result: every season finished and every check held** (no slot over capacity; the server's booked count of every slot equals the sum of the confirmed groups the clients hold; today's arrivals equal today's groups)."
            : "**Result: problems found** — see Checks.");
        s.AppendLine();
        s.AppendLine(F($"- Run: {began:yyyy-MM-dd HH:mm} UTC, {runs.Sum(r => r.Duration.TotalSeconds):F0} s in all."));
        s.AppendLine(F($"- Machine: {machine.Cores} cores (`nproc`), {machine.Cpu}, {machine.Memory} RAM, {machine.Os}; `dotnet --version` {machine.Sdk}, {machine.Runtime}. Shared with other work: load average (1, 5, 15 min) {string.Join("; ", runs.Select(r => $"{r.Scale}×: {r.LoadBefore} before, {r.LoadAfter} after"))}."));
        s.AppendLine("- Server: the Release build of RedEducation.Server as a child process on the embedded default (Kestrel on 127.0.0.1, one co-hosted Orleans silo, grain state in SQLite with WAL and synchronous=FULL), a fresh data directory per season.");
        s.AppendLine(F($"- Load generator: this process on the same 2 cores, {settings.Parallel} requests in flight (closed loop), HttpClient over loopback."));
        s.AppendLine(F($"- 10× means ten times the units **and** ten times the person-visits over the same {settings.Days} days and venues, whose slot and daily capacities are scaled by the same factor (the seeded capacities could not hold 1.2 million visits in 60 days)."));
        s.AppendLine();

        s.AppendLine("## Seasons");
        s.AppendLine();
        s.AppendLine("| scale | units | venues × days | groups booked | people booked | confirmed at the end (groups / people) | measured phases | server CPU in them | whole run (start, warm-up) | server RSS at the end | peak RSS | data on disk | data per group booked |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            s.AppendLine(F($"| {r.Scale}× | {r.Units:N0} | {r.Venues} × {r.Days} | {r.PlannedGroups:N0} | {r.PlannedPeople:N0} | {r.Totals.Confirmed:N0} / {r.Totals.ConfirmedPeople:N0} | {r.Measured.TotalSeconds:F0} s | {r.ServerCpuSeconds:F0} s | {r.Duration.TotalSeconds:F0} s | {r.ResidentMiB:F0} MiB | {r.PeakResidentMiB:F0} MiB | {Mib(r.DataBytes)} | {r.DataBytes / (double)Math.Max(1, r.PlannedGroups) / 1024:F1} KiB |"));
        }
        s.AppendLine();
        s.AppendLine("Data on disk is every file of the data directory at the end: " + string.Join("; ", runs.Select(r => F($"{r.Scale}×: ") + string.Join(", ", r.DataFiles.OrderByDescending(f => f.Value).Take(4).Select(f => $"{f.Key} {Mib(f.Value)}")))) + ".");
        s.AppendLine();

        s.AppendLine("## Operations");
        s.AppendLine();
        s.AppendLine("| scale | operation | requests | ok | ops/s | p50 | p90 | p99 | max | server CPU per op | server cores busy | server RSS after | other outcomes |");
        s.AppendLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        foreach (var r in runs)
        {
            foreach (var p in r.Phases)
            {
                s.AppendLine(F($"| {r.Scale}× | {p.Kind} | {p.Requests:N0} | {p.Ok:N0} | **{p.OpsPerSecond:N0}** | {p.Latency.P50:F2} | {p.Latency.P90:F2} | **{p.Latency.P99:F2}** | {p.Latency.Max:F1} | {p.Cpu.ServerMicrosPerRequest:F0} µs | {p.Cpu.ServerCores:F2} | {p.ServerMiBAfter:F0} MiB | {Others(p)} |"));
            }
        }
        s.AppendLine();
        s.AppendLine("Latencies in milliseconds, from handing the request to HttpClient to the parsed answer, with the stated number in flight (so they include queueing behind the other requests in flight). Server CPU per op is the server process's user + system time over the phase divided by its requests.");
        s.AppendLine();

        foreach (var r in runs.Skip(1))
        {
            s.AppendLine(F($"## How cost grows: {r.Scale}× ÷ {baseline.Scale}×"));
            s.AppendLine();
            s.AppendLine("| operation | ops/s | p50 | p99 | server CPU per op |");
            s.AppendLine("|---|---:|---:|---:|---:|");
            foreach (var p in r.Phases)
            {
                var b = baseline.Phase(p.Kind);
                s.AppendLine(F($"| {p.Kind} | {p.OpsPerSecond / b.OpsPerSecond:F2}× | {p.Latency.P50 / b.Latency.P50:F2}× | {p.Latency.P99 / b.Latency.P99:F2}× | {p.Cpu.ServerMicrosPerRequest / b.Cpu.ServerMicrosPerRequest:F2}× |"));
            }
            s.AppendLine();
            s.AppendLine("| whole season | ratio |");
            s.AppendLine("|---|---:|");
            s.AppendLine(F($"| groups booked | {r.PlannedGroups / (double)baseline.PlannedGroups:F2}× |"));
            s.AppendLine(F($"| time of the measured phases | {r.Measured / baseline.Measured:F2}× |"));
            s.AppendLine(F($"| server CPU over the measured phases | {r.ServerCpuSeconds / baseline.ServerCpuSeconds:F2}× ({r.ServerCpuSeconds:F0} ÷ {baseline.ServerCpuSeconds:F0} s) |"));
            s.AppendLine(F($"| server RSS at the end | {r.ResidentMiB / baseline.ResidentMiB:F2}× ({r.ResidentMiB:F0} ÷ {baseline.ResidentMiB:F0} MiB) |"));
            s.AppendLine(F($"| peak server RSS | {r.PeakResidentMiB / baseline.PeakResidentMiB:F2}× |"));
            s.AppendLine(F($"| data on disk | {r.DataBytes / (double)baseline.DataBytes:F2}× |"));
            s.AppendLine();
        }

        s.AppendLine("## Cost as the season fills");
        s.AppendLine();
        s.AppendLine("Server CPU per operation (µs) and operations/s in each tenth of a phase's requests, in the order answered: does an operation cost more as more of the season is stored?");
        s.AppendLine();
        s.AppendLine("| scale | operation | " + string.Join(" | ", Enumerable.Range(1, 10).Select(k => F($"{k}/10"))) + " |");
        s.AppendLine("|---|---|" + string.Concat(Enumerable.Repeat("---:|", 10)));
        foreach (var r in runs)
        {
            foreach (var p in r.Phases.Where(p => p.ByTenth.Count == 10 && p.Requests >= 1000))
            {
                s.AppendLine(F($"| {r.Scale}× | {p.Kind} | ") + string.Join(" | ", p.ByTenth.Select(t => F($"{t.ServerMicrosPerRequest:F0} µs, {t.OpsPerSecond:N0}/s"))) + " |");
            }
        }
        s.AppendLine();

        s.AppendLine("## Checks");
        s.AppendLine();
        s.AppendLine("| scale | slots read back | slots over capacity | slots where server ≠ clients | people waitlisted | confirmed people (clients) | booked people (server) | today's people checked in (clients) | arrived (server) | problems |");
        s.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            var t = r.Totals;
            s.AppendLine(F($"| {r.Scale}× | {t.SlotsChecked:N0} | {t.SlotsOverCapacity} | {t.SlotsMismatched} | {t.Waitlisted} | {t.ConfirmedPeople:N0} | {t.BookedPerServer:N0} | {t.CheckedInPeople:N0} | {t.ArrivedPerServer:N0} | {r.Problems.Count} |"));
        }
        foreach (var problem in runs.SelectMany(r => r.Problems.Take(10).Select(p => $"{r.Scale}×: {p}")))
        {
            s.AppendLine("- " + problem);
        }
        s.AppendLine();

        s.AppendLine("## How");
        s.AppendLine();
        s.AppendLine("0. Each season runs on a fresh server, which is first warmed up (not counted): about 240,000 people (some 8,000 groups) booked on the 20 days after the season, a tenth of those groups resized and a twentieth cancelled, so that neither scale is charged for the JIT compiler's tiering and the growth of pools and caches (a fresh server's cost per booking settles only after 5,000–8,000 bookings here).");
        s.AppendLine(F($"1. Venues: every seeded venue ({baseline.Venues}: the six memorial halls and the Liaoshen route sites), PATCHed by the administrator to take bookings from today on (leadMinDays 0, leadMaxDays {settings.Days + 20}: the season and the warm-up days after it), open 00:00–23:59 in hourly slots so that tonight's slot exists, slot and daily capacity × the scale; group limits, per-unit caps and closed weekdays as seeded."));
        s.AppendLine(F($"2. Plan (seed {settings.Seed}): the people spread over the open venue-days in proportion to each venue's daily cap, in groups of 10–50 (within the venue's group limits) at the 08:00–16:00 slots, each slot and day planned to at most 90 % of its capacity, each group a random unit within the per-unit cap per venue-day. Today (day 0) gets groups only in the next hourly slot still ahead ({baseline.Today.SlotText} in the 1× run): the server runs on the real clock, so only today's visits can be checked in during the run."));
        s.AppendLine(F($"3. book: POST /api/bookings for every group, today's first (their slot is about to start), the rest in random order; as the administrator on behalf of the unit (`unitId`), because the API has no way to make thousands of unit accounts and sign-in is limited to 30 a minute per address. One Idempotency-Key each."));
        s.AppendLine(F($"4. resize: {settings.ResizeShare:P0} of the confirmed groups, PATCH /api/bookings/{{id}} — half grow by 1–5 where the slot, day and unit caps leave room, the rest shrink by 1–5. cancel: another {settings.CancelShare:P0}, POST /api/bookings/{{id}}/cancel."));
        s.AppendLine("5. check-in: each of today's confirmed groups at its venue's desk (staff-<venue>), POST /api/venues/{id}/checkins with its current ticket code (a resize revokes the old one): first all but 1–3 people, then (\"latecomers\") the rest, each scan with its own nonce.");
        s.AppendLine("6. availability: GET /api/venues/{id}/availability for every venue and day of the season, then the checks: every slot's booked ≤ capacity, booked = the sum of the confirmed groups the clients hold in that slot, nobody waitlisted, the sum over the season equal, and today's occupancy (GET …/occupancy) counting every admitted person.");
        s.AppendLine("7. Memory is the server's resident set (RSS) from /proc after each phase and its peak (VmHWM) at the end; data is the size of every file in the data directory at the end (SQLite database and WAL, keys).");
        s.AppendLine();
        s.AppendLine("Run it: `dotnet run -c Release --project bench/RedEducation.SeasonBench` (both scales, writes this file; `--scales 1` for the baseline only, `--no-results` to only print).");
        return s.ToString();
    }

    public static string KeptNotes(string resultsFile)
    {
        if (!File.Exists(resultsFile))
        {
            return Environment.NewLine + NotesMarker + Environment.NewLine;
        }
        var text = File.ReadAllText(resultsFile);
        var at = text.IndexOf(NotesMarker, StringComparison.Ordinal);
        return Environment.NewLine + (at < 0 ? NotesMarker + Environment.NewLine : text[at..]);
    }

    private static string Others(PhaseResult r) =>
        string.Join(", ", r.Outcomes.Where(o => !o.Key.StartsWith("ok", StringComparison.Ordinal)).Select(o => F($"{o.Key}: {o.Value}")));

    private static string Mib(long bytes) => F($"{bytes / 1024.0 / 1024.0:F1} MiB");

    private static string F(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}

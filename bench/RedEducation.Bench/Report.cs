using System.Globalization;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text;

namespace RedEducation.Bench;

/// <summary>The PostgreSQL half of a run: the grain store's floor, the baseline, the system over PostgreSQL, the server's settings.</summary>
internal sealed record PostgresRun(
    StorageFloor Floor, IReadOnlyList<LevelResult> Baseline, IReadOnlyList<LevelResult> System, string Fsync, string SynchronousCommit,
    IReadOnlyList<PairedRound> Pairs);

/// <summary>The system at 64 in flight measured right after the baseline at 64 connections, the silo up for both.</summary>
internal sealed record PairedRound(LevelResult System, LevelResult Baseline)
{
    public const int Rounds = 3;

    public double Ratio => System.ConfirmedPerSecond / Baseline.ConfirmedPerSecond;
}

/// <summary>Renders the results as the Markdown of bench/results/hot-venue-day.md.</summary>
internal static class Report
{
    /// <summary>quality.md's target for the system at 64 in flight against the baseline at 64 connections.</summary>
    private const int TargetAt64 = 20;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string Concurrency(int level, int requests) =>
        level >= requests ? string.Create(Invariant, $"all {requests:N0} at once") : level.ToString(Invariant);

    /// <summary>bench/results/hot-venue-day.md of the repository this program was built from, else of the working directory.</summary>
    public static string ResultsPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RedEducation.sln")))
            {
                return Path.Combine(dir.FullName, "bench", "results", "hot-venue-day.md");
            }
        }
        return Path.GetFullPath(Path.Combine("bench", "results", "hot-venue-day.md"));
    }

    public static string Tables(IReadOnlyList<LevelResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("Ample capacity (slot capacity 100,000 people; every request fits)").AppendLine();
        text.AppendLine("| in flight | requests | confirmed | refused | errors | total time | confirmed/s | p50 | p99 | max | CPU µs per request (process / PostgreSQL) | sum confirmed = booked | booked ≤ capacity |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in results.Where(r => r.Scenario == "ample"))
        {
            text.AppendLine(Invariant, $"| {Concurrency(r.Concurrency, r.Samples.Count)} | {r.Samples.Count:N0} | {r.Confirmed:N0} | {r.Refused:N0} | {r.Errors:N0} | {r.Elapsed.TotalSeconds:F2} s | {r.ConfirmedPerSecond:N0} | {Ms(r.Percentile(0.50))} | {Ms(r.Percentile(0.99))} | {Ms(r.Percentile(1))} | {r.CpuPerRequest} | {Check(r.ConfirmedPeople == r.Booked && r.BookedElsewhere == 0, $"{r.ConfirmedPeople:N0} = {r.Booked:N0}")} | {Check(r.Booked <= r.Capacity, $"{r.Booked:N0} ≤ {r.Capacity:N0}")} |");
        }
        text.AppendLine().AppendLine("Scarce capacity (slot capacity 2,000 people; about 55,000 asked for)").AppendLine();
        text.AppendLine("| in flight | requests | confirmed | refused (slot-full) | errors | total time | requests/s | p50 all | p99 all | p50 refused | p99 refused | max | CPU µs per request (process / PostgreSQL) | sum confirmed = booked | booked ≤ capacity |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in results.Where(r => r.Scenario == "scarce"))
        {
            text.AppendLine(Invariant, $"| {Concurrency(r.Concurrency, r.Samples.Count)} | {r.Samples.Count:N0} | {r.Confirmed:N0} | {r.Refused:N0} | {r.Errors:N0} | {r.Elapsed.TotalSeconds:F2} s | {r.RequestsPerSecond:N0} | {Ms(r.Percentile(0.50))} | {Ms(r.Percentile(0.99))} | {Ms(r.Percentile(0.50, Outcome.Refused))} | {Ms(r.Percentile(0.99, Outcome.Refused))} | {Ms(r.Percentile(1))} | {r.CpuPerRequest} | {Check(r.ConfirmedPeople == r.Booked && r.BookedElsewhere == 0, $"{r.ConfirmedPeople:N0} = {r.Booked:N0}")} | {Check(r.Booked <= r.Capacity, $"{r.Booked:N0} ≤ {r.Capacity:N0}")} |");
        }
        foreach (var r in results.Where(r => r.FirstError is not null))
        {
            text.AppendLine().AppendLine(Invariant, $"First error, {r.Scenario} at {Concurrency(r.Concurrency, r.Samples.Count)}: {r.FirstError}");
        }
        return text.ToString();
    }

    public static string BaselineTable(IReadOnlyList<LevelResult> baseline)
    {
        var text = new StringBuilder();
        text.AppendLine("| connections | bookings | confirmed | refused | errors | total time | bookings/s | p50 | p99 | max | CPU µs per booking (client / PostgreSQL) | sum confirmed = booked = booking rows | booked ≤ capacity |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---|");
        foreach (var r in baseline)
        {
            text.AppendLine(Invariant, $"| {r.Concurrency} | {r.Samples.Count:N0} | {r.Confirmed:N0} | {r.Refused:N0} | {r.Errors:N0} | {r.Elapsed.TotalSeconds:F2} s | {r.ConfirmedPerSecond:N0} | {Ms(r.Percentile(0.50))} | {Ms(r.Percentile(0.99))} | {Ms(r.Percentile(1))} | {r.CpuPerRequest} | {Check(r.ConfirmedPeople == r.Booked && r.BookedElsewhere == 0, $"{r.ConfirmedPeople:N0} = {r.Booked:N0}")} | {Check(r.Booked <= r.Capacity, $"{r.Booked:N0} ≤ {r.Capacity:N0}")} |");
        }
        foreach (var r in baseline.Where(r => r.FirstError is not null))
        {
            text.AppendLine().AppendLine(Invariant, $"First error at {r.Concurrency} connections: {r.FirstError}");
        }
        return text.ToString();
    }

    /// <summary>The quality.md ratios: the system on PostgreSQL against the baseline on the same server, at 64 and best against best.</summary>
    public static string Ratios(PostgresRun run, IReadOnlyList<LevelResult> sqlite)
    {
        var text = new StringBuilder();
        var baseline64 = run.Baseline.FirstOrDefault(r => r.Concurrency == 64);
        var baselineBest = run.Baseline.MaxBy(r => r.ConfirmedPerSecond);
        text.AppendLine("| system | system confirmed/s | baseline bookings/s | ratio | target |");
        text.AppendLine("|---|---:|---:|---:|---|");
        Row("PostgreSQL storage at 64 in flight vs baseline at 64 connections", run.System, r => r.Concurrency == 64, baseline64, TargetAt64);
        Row("PostgreSQL storage, best level vs baseline, best connection count", run.System, _ => true, baselineBest, 5);
        Row("SQLite storage (embedded default) at 64 in flight vs the same baseline at 64", sqlite, r => r.Concurrency == 64, baseline64, null);
        Row("SQLite storage, best level vs baseline, best", sqlite, _ => true, baselineBest, null);
        return text.ToString();

        void Row(string what, IReadOnlyList<LevelResult> system, Func<LevelResult, bool> pick, LevelResult? against, int? target)
        {
            var mine = system.Where(r => r.Scenario == "ample").Where(pick).MaxBy(r => r.ConfirmedPerSecond);
            if (mine is null || against is null)
            {
                text.AppendLine(Invariant, $"| {what} | – | – | not measured | {(target is null ? "–" : $"≥ {target}×")} |");
                return;
            }
            var ratio = mine.ConfirmedPerSecond / against.ConfirmedPerSecond;
            var verdict = target is null ? "–" : $"≥ {target}×: {(ratio >= target ? "met" : "**not met**")}";
            text.AppendLine(Invariant, $"| {what} | {mine.ConfirmedPerSecond:N0} ({Concurrency(mine.Concurrency, mine.Samples.Count)}) | {against.ConfirmedPerSecond:N0} ({against.Concurrency} conn.) | {ratio:F1}× | {verdict} |");
        }
    }

    /// <summary>The 64-vs-64 ratio once per paired round, and their median.</summary>
    public static string Pairs(IReadOnlyList<PairedRound> pairs)
    {
        var text = new StringBuilder();
        text.AppendLine("| round | system confirmed/s (64 in flight) | baseline bookings/s (64 conn.) | ratio | sound (both sides) |");
        text.AppendLine("|---|---:|---:|---:|---|");
        for (var i = 0; i < pairs.Count; i++)
        {
            var pair = pairs[i];
            text.AppendLine(Invariant, $"| {i + 1} | {pair.System.ConfirmedPerSecond:N0} | {pair.Baseline.ConfirmedPerSecond:N0} | {pair.Ratio:F1}× | {(pair.System.Sound && pair.Baseline.Sound ? "yes" : "**NO**")} |");
        }
        if (pairs.Count > 0)
        {
            var median = pairs.Select(p => p.Ratio).Order().ElementAt(pairs.Count / 2);
            text.AppendLine().AppendLine(Invariant, $"Median ratio of the {pairs.Count} rounds: {median:F1}× (target ≥ {TargetAt64}×: {(median >= TargetAt64 ? "met" : "**not met**")}).");
        }
        return text.ToString();
    }

    private static string WarmedUp(IReadOnlyDictionary<string, (int Rounds, TimeSpan LastCompiling)> warmUps, string part) =>
        warmUps.TryGetValue(part, out var w)
            ? string.Create(Invariant, $"{w.Rounds} rounds, the last compiling for {w.LastCompiling.TotalMilliseconds:N0} ms")
            : "not run";

    public static string Markdown(
        StorageFloor sqliteFloor, IReadOnlyList<LevelResult> sqlite, PostgresRun? postgres, int requests,
        IReadOnlyDictionary<string, (int Rounds, TimeSpan LastCompiling)> warmUps)
    {
        var text = new StringBuilder();
        text.AppendLine("# Hot venue-day burst").AppendLine();
        text.AppendLine(Invariant, $"{requests:N0} booking requests on one venue-day (one slot of one venue on one day), sent as `IUnitGrain.CreateBookingAsync` calls (as the booking API makes them) to an in-process Orleans silo with the server's durable storage — first the embedded SQLite default, then PostgreSQL — and, on that same PostgreSQL, the baseline of quality.md. Generated by `dotnet run -c Release --project bench/RedEducation.Bench`; every run overwrites this file.").AppendLine();
        text.AppendLine("## Machine").AppendLine();
        text.AppendLine(Invariant, $"- date: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC");
        text.AppendLine(Invariant, $"- processors (nproc): {Environment.ProcessorCount}; CPU: {CpuModel()}");
        text.AppendLine(Invariant, $"- load average when the run ended (1, 5, 15 min; other work shares this machine): {LoadAverage()}");
        text.AppendLine(Invariant, $"- runtime: {RuntimeInformation.FrameworkDescription} on {RuntimeInformation.OSDescription} ({RuntimeInformation.ProcessArchitecture}); server GC: {GCSettings.IsServerGC}");
        text.AppendLine(Invariant, $"- SQLite storage: WAL, synchronous=FULL, in a temporary directory on the machine's disk. One durable single-row commit, unbatched, measured in this run: median {Ms(sqliteFloor.Median)} ms, p99 {Ms(sqliteFloor.P99)} ms, {sqliteFloor.CommitsPerSecond:N0} commits/s ({sqliteFloor.Commits} commits).");
        if (postgres is not null)
        {
            text.AppendLine(Invariant, $"- PostgreSQL: a throwaway PostgreSQL 15 cluster in a temporary directory on the same disk, on loopback TCP, started by this run with fsync = {postgres.Fsync}, synchronous_commit = {postgres.SynchronousCommit} (as read back by `SHOW`). One durable single-row commit of the grain store, unbatched: median {Ms(postgres.Floor.Median)} ms, p99 {Ms(postgres.Floor.P99)} ms, {postgres.Floor.CommitsPerSecond:N0} commits/s ({postgres.Floor.Commits} commits).");
        }
        text.AppendLine();
        text.AppendLine("## Results: SQLite storage (embedded default)").AppendLine();
        text.Append(Tables(sqlite)).AppendLine();
        text.AppendLine("Latencies are in milliseconds, per request, from the call to its reply (the decision, made durable before the reply). Confirmed/s is confirmed bookings divided by the wall time of the whole level. The overbooking columns compare the people confirmed to callers with the venue-day's own `booked` count read after the level (and check that nothing was booked in other slots), and that count with the slot capacity.").AppendLine();
        if (postgres is null)
        {
            text.AppendLine("## PostgreSQL").AppendLine();
            text.AppendLine("Not measured in this run (`--no-postgres`): no baseline, no ratio.").AppendLine();
        }
        else
        {
            text.AppendLine("## Results: PostgreSQL storage").AppendLine();
            text.AppendLine("The same burst, the silo registered with `AddPostgresGrainStorage(\"main\", …)`: the same group-commit grain storage over `PostgresStateStore` (one transaction per batch of grain writes, sent in one round trip: one statement per kind of change, the rows sent as arrays; reads that arrive together go as one query).").AppendLine();
            text.Append(Tables(postgres.System)).AppendLine();
            text.AppendLine("## Baseline: one PostgreSQL transaction per booking").AppendLine();
            text.AppendLine(Invariant, $"On the same PostgreSQL server (another database): tables `slot(id, capacity, booked)` and `booking(id, slot_id, unit, headcount, contact_name, contact_phone, created_at)`. Per booking, one transaction on one connection: `UPDATE slot SET booked = booked + $n WHERE id = $slot AND booked + $n <= capacity`, then, if a row was updated, `INSERT INTO booking …`, then `COMMIT` (synchronous_commit = {postgres.SynchronousCommit}). Both statements are prepared. Each connection is a caller that sends its next booking when the last one committed; every level books the same {requests:N0} group sizes as the burst into a fresh slot with room for all, after unreported warm-up rounds of {PostgresBaseline.WarmUpBookings:N0} bookings at 8 connections, until a round spends less than 20 ms compiling ({WarmedUp(warmUps, "baseline")}).").AppendLine();
            text.Append(BaselineTable(postgres.Baseline)).AppendLine();
            text.AppendLine("## Ratios").AppendLine();
            text.Append(Ratios(postgres, sqlite)).AppendLine();
            var p99 = postgres.System.Where(r => r.Scenario == "ample" && r.Concurrency == 64).Select(r => Ms(r.Percentile(0.99))).FirstOrDefault() ?? "–";
            text.AppendLine(Invariant, $"Decision latency of the PostgreSQL-backed system at 64 in flight, p99: {p99} ms (quality.md asks for < 50 ms). \"All at once\" puts 10,000 requests in the queue together, so its latencies are mostly queueing, not decision time.").AppendLine();
            text.AppendLine("## Paired rounds at 64").AppendLine();
            text.AppendLine("This machine's speed drifts over minutes, and the levels above measure the baseline a minute or more before the system. So after the system's levels, with its silo still up and idle during the baseline, the baseline at 64 connections and the system at 64 in flight take turns, each booking the same 10,000 groups as above. Each round's ratio compares two measurements taken seconds apart.").AppendLine();
            text.Append(Pairs(postgres.Pairs)).AppendLine();
        }
        text.AppendLine("## How it was measured").AppendLine();
        text.AppendLine("- One silo in the benchmark process, registered as the server registers it (`AddSqliteGrainStorage(\"main\", …, DomainJson.Options)` or `AddPostgresGrainStorage(\"main\", …, DomainJson.Options)`, `AddRedEducationContracts()`, `TimeProvider.System`), no dashboard, calls through the silo's own `IGrainFactory` (no network hop, no HTTP).");
        text.AppendLine("- Each level books a fresh venue (hourly slots, groups of 1–10, unit cap and daily cap out of the way) on a day 30 days ahead, all requests in the 10:00 slot. Booking ids come from `BookingIds.From(unit, key)` over 100 units; group sizes come from one fixed seed, so every level asks for the same groups. A booking is one `IUnitGrain.CreateBookingAsync`: the unit sees a key it has not seen, the venue-day decides and, in one commit, stores its journal, the booking's record and the unit's index entry before answering, so every reply is durable.");
        text.AppendLine(Invariant, $"- \"In flight\" is the number of callers each sending its next request as soon as its last one is answered; \"all at once\" starts every request together. Levels run one after another in one process after unreported warm-up rounds of {requests:N0} bookings at 64 in flight, at least {HotVenueDay.WarmUpBookings / requests} and until a round spends less than 20 ms compiling (the runtime recompiles hot code, optimized, after it has run a while, in the background; this run: SQLite {WarmedUp(warmUps, "SQLite")}, PostgreSQL {WarmedUp(warmUps, "PostgreSQL")}). At 1 in flight the system books 2,000 requests, not 10,000 (`--full` books 10,000): a lone caller waits for a read and a commit per booking, one booking at a time.");
        text.AppendLine("- CPU per request is the CPU time this process (callers and silo; for the baseline, its client) and every PostgreSQL process used during the level, read from /proc, divided by the level's requests. It shows what limits the level: on 2 cores, 1,000 µs of CPU per request caps a level at 2,000 requests/s.");
        text.AppendLine("- The baseline and the system run one after the other, never at the same time, against the same PostgreSQL server; the benchmark process, PostgreSQL and the silo share the 2 cores. The baseline's connections stay open, idle, while the system runs.");
        text.AppendLine("- A run is a single sample on a shared 2-core machine: expect tens of percent between runs.");
        return text.ToString();
    }

    private static string Ms(TimeSpan t) => t.TotalMilliseconds.ToString(t.TotalMilliseconds < 10 ? "F2" : "F1", Invariant);

    private static string Check(bool ok, string detail) => $"{(ok ? "yes" : "**NO**")} ({detail})";

    private static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using RedEducation.Bench;
using RedEducation.Storage;
using RedEducation.Testing;

// The hot venue-day burst of quality.md: many booking requests on one venue-day, through the grains, with the durable
// group-commit storage of the server, first over SQLite (the embedded default), then over PostgreSQL; and, on that same
// PostgreSQL, the baseline of quality.md (one transaction per booking). Run in Release:
// dotnet run -c Release --project bench/RedEducation.Bench
const int Requests = 10_000;
int[] baselineConnections = [1, 8, 64];
// One caller at a time takes minutes for 10,000 bookings (each write stores the whole venue-day), so that level books
// fewer unless --full is given. --levels 64,all runs only the listed levels of both scenarios. --no-postgres skips the
// PostgreSQL part (baseline and system).
var full = args.Contains("--full");
var withPostgres = !args.Contains("--no-postgres");
var levelArgument = args.SkipWhile(a => a != "--levels").Skip(1).FirstOrDefault();
int[] levels = levelArgument is null
    ? [1, 8, 64, 256, Requests]
    : [.. levelArgument.Split(',').Select(l => l == "all" ? Requests : int.Parse(l, System.Globalization.CultureInfo.InvariantCulture))];
int RequestsAt(int level) => level == 1 && !full ? 2_000 : Requests;

var warmUps = new Dictionary<string, (int Rounds, TimeSpan LastCompiling)>();
var data = Directory.CreateTempSubdirectory("redu-bench-");
try
{
    Console.WriteLine("SQLite: measuring the storage floor (one durable commit per write)...");
    StorageFloor sqliteFloor;
    using (var floorStore = new SqliteStateStore(Path.Combine(data.FullName, "floor.db")))
    {
        sqliteFloor = StorageFloor.Measure(floorStore, commits: 300);
    }
    var sqliteResults = await RunSystemAsync("SQLite", BenchSilo.Sqlite(Path.Combine(data.FullName, "bench.db")));

    PostgresRun? postgresRun = null;
    if (withPostgres)
    {
        // fsync and synchronous_commit on: a commit waits for the disk, on both sides of the comparison.
        using var postgres = ThrowawayPostgres.Start(durable: true, maxConnections: 300);
        await using (var admin = new NpgsqlConnection(postgres.ConnectionString()))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand("CREATE DATABASE baseline; ", admin);
            await create.ExecuteNonQueryAsync();
            create.CommandText = "CREATE DATABASE grains";
            await create.ExecuteNonQueryAsync();
        }

        var baselineResults = new List<LevelResult>();
        var pairs = new List<PairedRound>();
        await using var baselineSource = NpgsqlDataSource.Create(Pooled(postgres.ConnectionString("baseline", pooling: true)));
        var baseline = await PostgresBaseline.CreateAsync(baselineSource);
        var fsync = await baseline.SettingAsync("fsync");
        var synchronousCommit = await baseline.SettingAsync("synchronous_commit");
        Console.WriteLine($"PostgreSQL baseline: warming up (rounds of {PostgresBaseline.WarmUpBookings:N0} bookings at 8 connections, not reported)...");
        warmUps["baseline"] = await WarmUp.UntilCompiledAsync(() => baseline.RunAsync(8, PostgresBaseline.WarmUpBookings, HotVenueDay.AmpleCapacity), minRounds: 1);
        foreach (var connections in baselineConnections)
        {
            Console.WriteLine($"PostgreSQL baseline, {connections} connections...");
            baselineResults.Add(await baseline.RunAsync(connections, Requests, HotVenueDay.AmpleCapacity));
        }

        var grains = Pooled(postgres.ConnectionString("grains", pooling: true));
        Console.WriteLine("PostgreSQL: measuring the storage floor (one durable commit per write)...");
        StorageFloor postgresFloor;
        using (var floorStore = new PostgresStateStore(grains))
        {
            postgresFloor = StorageFloor.Measure(floorStore, commits: 300);
        }
        // After the levels, with the silo still up: the baseline and the system at 64 take turns, so that the machine's
        // speed, which drifts over minutes here, is the same for both sides of each ratio.
        var postgresResults = await RunSystemAsync("PostgreSQL", BenchSilo.Postgres(grains), async burst =>
        {
            for (var round = 1; round <= PairedRound.Rounds; round++)
            {
                Console.WriteLine($"PostgreSQL paired round {round}: baseline at 64 connections, then the system at 64 in flight...");
                var against = await baseline.RunAsync(64, Requests, HotVenueDay.AmpleCapacity);
                pairs.Add(new PairedRound(await burst.RunAsync("ample", HotVenueDay.AmpleCapacity, 64, Requests), against));
            }
        });
        postgresRun = new PostgresRun(postgresFloor, baselineResults, postgresResults, fsync, synchronousCommit, pairs);
    }

    var markdown = Report.Markdown(sqliteFloor, sqliteResults, postgresRun, Requests, warmUps);
    var path = Report.ResultsPath();
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, markdown);
    Console.WriteLine();
    Console.WriteLine("SQLite");
    Console.WriteLine(Report.Tables(sqliteResults));
    if (postgresRun is not null)
    {
        Console.WriteLine("PostgreSQL");
        Console.WriteLine(Report.Tables(postgresRun.System));
        Console.WriteLine(Report.BaselineTable(postgresRun.Baseline));
        Console.WriteLine(Report.Ratios(postgresRun, sqliteResults));
        Console.WriteLine(Report.Pairs(postgresRun.Pairs));
    }
    Console.WriteLine($"written to {path}");
    IEnumerable<LevelResult> all =
    [
        .. sqliteResults, .. postgresRun?.System ?? [], .. postgresRun?.Baseline ?? [],
        .. postgresRun?.Pairs.SelectMany(p => new[] { p.System, p.Baseline }) ?? [],
    ];
    return all.All(r => r.Sound) ? 0 : 1;
}
finally
{
    data.Delete(recursive: true);
}

// Room for 64 baseline connections and for the silo's concurrent reads in the all-at-once level.
static string Pooled(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString) { MaxPoolSize = 128 }.ConnectionString;

async Task<List<LevelResult>> RunSystemAsync(string storage, IHost host, Func<HotVenueDay, Task>? after = null)
{
    using (host)
    {
        await host.StartAsync();
        var burst = new HotVenueDay(host.Services.GetRequiredService<IGrainFactory>());

        Console.WriteLine($"{storage}: warming up (rounds of {Requests:N0} bookings at 64 in flight, not reported)...");
        warmUps[storage] = await WarmUp.UntilCompiledAsync(
            () => burst.RunAsync("warm-up", HotVenueDay.AmpleCapacity, concurrency: 64, requests: Requests), minRounds: HotVenueDay.WarmUpBookings / Requests);

        var results = new List<LevelResult>();
        foreach (var level in levels)
        {
            Console.WriteLine($"{storage}: ample capacity, {Report.Concurrency(level, Requests)} in flight...");
            results.Add(await burst.RunAsync("ample", HotVenueDay.AmpleCapacity, level, RequestsAt(level)));
        }
        foreach (var level in levels.Where(l => l >= 64))
        {
            Console.WriteLine($"{storage}: scarce capacity, {Report.Concurrency(level, Requests)} in flight...");
            results.Add(await burst.RunAsync("scarce", HotVenueDay.ScarceCapacity, level, Requests));
        }
        if (after is not null)
        {
            await after(burst);
        }
        await host.StopAsync();
        return results;
    }
}

using Microsoft.Extensions.DependencyInjection;
using RedEducation.Bench;

// The hot venue-day burst of quality.md: many booking requests on one venue-day, through the grains, with the durable
// SQLite group-commit storage of the server. Run in Release: dotnet run -c Release --project bench/RedEducation.Bench
const int Requests = 10_000;
// One caller at a time takes minutes for 10,000 bookings (each write stores the whole venue-day), so that level books
// fewer unless --full is given. --levels 64,all runs only the listed levels of both scenarios.
var full = args.Contains("--full");
var levelArgument = args.SkipWhile(a => a != "--levels").Skip(1).FirstOrDefault();
int[] levels = levelArgument is null
    ? [1, 8, 64, Requests]
    : [.. levelArgument.Split(',').Select(l => l == "all" ? Requests : int.Parse(l, System.Globalization.CultureInfo.InvariantCulture))];
int RequestsAt(int level) => level == 1 && !full ? 2_000 : Requests;

var data = Directory.CreateTempSubdirectory("redu-bench-");
try
{
    Console.WriteLine("measuring the storage floor (one durable SQLite commit per write)...");
    var floor = StorageFloor.Measure(Path.Combine(data.FullName, "floor.db"), commits: 300);

    using var host = BenchSilo.Build(Path.Combine(data.FullName, "bench.db"));
    await host.StartAsync();
    var burst = new HotVenueDay(host.Services.GetRequiredService<IGrainFactory>());

    Console.WriteLine("warming up (1,000 bookings at 64 in flight, not reported)...");
    await burst.RunAsync("warm-up", HotVenueDay.AmpleCapacity, concurrency: 64, requests: 1_000);

    var results = new List<LevelResult>();
    foreach (var level in levels)
    {
        Console.WriteLine($"ample capacity, {Report.Concurrency(level, Requests)} in flight...");
        results.Add(await burst.RunAsync("ample", HotVenueDay.AmpleCapacity, level, RequestsAt(level)));
    }
    foreach (var level in levels.Where(l => l >= 64))
    {
        Console.WriteLine($"scarce capacity, {Report.Concurrency(level, Requests)} in flight...");
        results.Add(await burst.RunAsync("scarce", HotVenueDay.ScarceCapacity, level, Requests));
    }
    await host.StopAsync();

    var markdown = Report.Markdown(results, floor, Requests);
    var path = Report.ResultsPath();
    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
    await File.WriteAllTextAsync(path, markdown);
    Console.WriteLine();
    Console.WriteLine(Report.Tables(results));
    Console.WriteLine($"written to {path}");
    return results.All(r => r.Sound) ? 0 : 1;
}
finally
{
    data.Delete(recursive: true);
}

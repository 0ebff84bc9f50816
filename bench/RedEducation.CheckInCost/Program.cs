using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RedEducation.Contracts;
using RedEducation.Testing;

// What one online check-in costs the server, measured in ways that survive a busy machine: CPU time and bytes
// allocated per request, with the server's real pipeline (authentication, endpoint, ticket verification, grains,
// durable SQLite storage) hosted in this process over an in-memory transport (no sockets, no Kestrel). The floor,
// GET /health/live through the same pipeline, is measured in the same run, interleaved round by round.
namespace RedEducation.CheckInCost;

internal static class CostBench
{
    public static async Task<int> Main(string[] args)
    {
        var rounds = 7;
        var perRound = 1000;
        var inFlight = 8;
        string? resultsFile = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--rounds": rounds = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--requests": perRound = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--in-flight": inFlight = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--results": resultsFile = args[++i]; break;
                default: throw new ArgumentException($"unknown option {args[i]}; options: --rounds N --requests N --in-flight N --results FILE");
            }
        }

        const string VenueId = "liaoshen-memorial";
        const int RepeatedCodes = 50;
        using var data = new TempDirectory();
        var venue = TestVenues.Seed(VenueId);
        var visitDay = TestDates.NextOpen(venue, 10);
        var clock = new TestClock(DateTimeOffset.UtcNow);
        clock.SetLocal(visitDay.AddDays(-5), new TimeOnly(10, 0));
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseEnvironment("Production");
            web.UseSetting("RedEducation:DataDirectory", data.Path);
            web.UseSetting("Logging:LogLevel:Default", "Warning");
            // The setup books thousands of groups as one unit; the per-account limit (60 a minute) is not what is measured.
            web.UseSetting("RedEducation:Limits:BookingChangesPerMinute", "1000000");
            web.UseSetting("RedEducation:SiloPort", Ports.Free().ToString(CultureInfo.InvariantCulture));
            web.UseSetting("RedEducation:GatewayPort", Ports.Free().ToString(CultureInfo.InvariantCulture));
            web.ConfigureTestServices(s => s.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, clock));
        });
        var anonymous = factory.CreateClient();
        while (!(await anonymous.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode)
        {
            await Task.Delay(100);
        }

        var loadBefore = File.ReadAllText("/proc/loadavg");
        var admin = await SignInAsync("admin");
        (await admin.PatchAsJsonAsync($"/api/venues/{VenueId}", new { slotCapacity = 100_000, dailyCap = 1_000_000, groupMin = 1, groupMax = 500, unitCapPerDay = 1_000_000 }))
            .EnsureSuccessStatusCode();
        var unit = await SignInAsync("unit1");
        var setup = Stopwatch.StartNew();
        // Distinct codes: every scan of the "each code once" runs is the first scan of its code, as at a real gate.
        var distinct = await BookAsync(rounds * perRound + perRound, 2, "10:00");
        var repeated = await BookAsync(RepeatedCodes, 500, "11:00");
        Console.WriteLine($"Booked {distinct.Count + repeated.Count} groups in {setup.Elapsed.TotalSeconds:F1} s.");
        clock.SetLocal(visitDay, new TimeOnly(10, 5));
        var staff = await SignInAsync($"staff-{VenueId}");

        var nonce = 0;
        var nextDistinct = 0;
        var nextRepeated = 0;
        var scenarios = new (string Name, Func<HttpRequestMessage> Request)[]
        {
            ("GET /health/live (pipeline floor)", () => new HttpRequestMessage(HttpMethod.Get, "/health/live")),
            ("check-in, each code scanned once", () => CheckIn(distinct[Interlocked.Increment(ref nextDistinct) - 1])),
            ($"check-in, {RepeatedCodes} codes scanned again and again", () => CheckIn(repeated[Interlocked.Increment(ref nextRepeated) % RepeatedCodes])),
        };

        // Warm-up (tiered JIT, grain activations), not counted; it uses up the first round's worth of distinct codes.
        foreach (var (_, request) in scenarios)
        {
            await RunAsync(request, perRound);
        }
        var samples = scenarios.ToDictionary(s => s.Name, _ => new List<(double Cpu, double Writer, double Bytes)>());
        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, request) in scenarios)
            {
                samples[name].Add(await RunAsync(request, perRound));
            }
        }

        var loadAfter = File.ReadAllText("/proc/loadavg");
        var report = new StringBuilder();
        report.AppendLine("# Check-in: cost per request");
        report.AppendLine();
        report.AppendLine("CPU time and bytes allocated per online check-in, with the server's whole pipeline (bearer authentication, the endpoint, ticket verification, the venue, check-in and booking grains, durable SQLite storage with group commit) hosted in the benchmark process over ASP.NET Core's in-memory test transport: no sockets, no Kestrel (their share is in [check-in.md](check-in.md), whose HTTP floor is GET /health/live over loopback). Generated by `dotnet run -c Release --project bench/RedEducation.CheckInCost -- --results bench/results/check-in-cost.md`; every run overwrites this file.");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"- Run: {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores (.NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}); load average (1, 5, 15 min) {string.Join(' ', loadBefore.Split(' ')[..3])} before, {string.Join(' ', loadAfter.Split(' ')[..3])} after: other work shares this machine, so CPU times vary by tens of percent between runs; bytes allocated do not.");
        report.AppendLine(CultureInfo.InvariantCulture, $"- Each request: POST /api/venues/{VenueId}/checkins `{{code, admit: 1, nonce}}` as the venue's staff, a fresh nonce each; {inFlight} requests in flight (closed loop); every answer must be 200. A round is {perRound:N0} requests; the three rows run in turn, round by round, after one warm-up round each. CPU is this process's user + system time over the round (the in-memory client's share included, as in the floor row); the writer thread is the grain storage's one SQLite writer (its transactions and fsync), from /proc.");
        report.AppendLine(CultureInfo.InvariantCulture, $"- \"Each code scanned once\": {distinct.Count:N0} bookings of 2, every scan the first of its code, as at a gate. \"Scanned again and again\": {RepeatedCodes} bookings of 500, round robin, as when a group is let in part by part or a second desk scans it.");
        report.AppendLine();
        report.AppendLine(CultureInfo.InvariantCulture, $"| in-process, {inFlight} in flight, {rounds} rounds of {perRound:N0} | CPU per request (median, µs) | min | max | of it the storage writer thread (median, µs) | allocated per request (median, bytes) |");
        report.AppendLine("|---|---:|---:|---:|---:|---:|");
        foreach (var (name, _) in scenarios)
        {
            var cpu = samples[name].Select(s => s.Cpu).Order().ToList();
            var writer = samples[name].Select(s => s.Writer).Order().ToList();
            var bytes = samples[name].Select(s => s.Bytes).Order().ToList();
            report.AppendLine(CultureInfo.InvariantCulture, $"| {name} | {cpu[cpu.Count / 2]:F0} | {cpu[0]:F0} | {cpu[^1]:F0} | {writer[writer.Count / 2]:F0} | {bytes[bytes.Count / 2]:N0} |");
        }
        Console.WriteLine();
        Console.WriteLine(report);
        if (resultsFile is not null)
        {
            await File.WriteAllTextAsync(resultsFile, report.ToString());
        }
        return 0;

        HttpRequestMessage CheckIn(string code) => new(HttpMethod.Post, $"/api/venues/{VenueId}/checkins")
        {
            Content = JsonContent.Create(new { code, admit = 1, nonce = $"cost-{Interlocked.Increment(ref nonce)}" }),
        };

        // Closed loop: inFlight callers, each sending its next request when the last is answered; every answer must be 200.
        async Task<(double Cpu, double Writer, double Bytes)> RunAsync(Func<HttpRequestMessage> request, int count)
        {
            var left = count;
            var client = staff;
            using var self = Process.GetCurrentProcess();
            var cpu = self.TotalProcessorTime;
            var writer = WriterThreadCpu();
            var bytes = GC.GetTotalAllocatedBytes(precise: true);
            await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
            {
                while (Interlocked.Decrement(ref left) >= 0)
                {
                    using var message = request();
                    using var response = await client.SendAsync(message);
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{message.RequestUri}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                    }
                    await response.Content.CopyToAsync(Stream.Null);
                }
            }));
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - bytes;
            self.Refresh();
            return ((self.TotalProcessorTime - cpu).TotalMicroseconds / count, (WriterThreadCpu() - writer).TotalMicroseconds / count, allocated / (double)count);
        }

        // The grain storage's one writer thread (SQLite transactions and their fsync), from /proc: user + system time.
        static TimeSpan WriterThreadCpu()
        {
            foreach (var task in Directory.EnumerateDirectories("/proc/self/task"))
            {
                if (File.ReadAllText(Path.Combine(task, "comm")).Trim() == "grain-storage-w")
                {
                    var fields = File.ReadAllText(Path.Combine(task, "stat")).Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    // Fields 14 and 15 of stat (utime, stime), counted after the ")" that ends the name: index 11 and 12.
                    var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
                    return TimeSpan.FromMilliseconds(ticks * 10.0);
                }
            }
            return TimeSpan.Zero;
        }

        async Task<HttpClient> SignInAsync(string user)
        {
            var client = factory.CreateClient();
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password = "demo" });
            response.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", json.RootElement.GetProperty("accessToken").GetString());
            return client;
        }

        async Task<List<string>> BookAsync(int count, int headcount, string slot)
        {
            var codes = new string[count];
            var next = -1;
            var run = Guid.NewGuid().ToString("N")[..8];
            await Task.WhenAll(Enumerable.Range(0, 16).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < count)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings")
                    {
                        Content = JsonContent.Create(new
                        {
                            venueId = VenueId, date = visitDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), slot, headcount,
                            contactName = "王老师", contactPhone = "13912345678",
                        }),
                    };
                    request.Headers.Add("Idempotency-Key", $"cost-{run}-{headcount}-{i}");
                    using var response = await unit.SendAsync(request);
                    response.EnsureSuccessStatusCode();
                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    codes[i] = json.RootElement.GetProperty("ticket").GetProperty("code").GetString()!;
                }
            }));
            return [.. codes];
        }
    }
}

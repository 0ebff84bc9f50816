using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RedEducation.Cli;
using RedEducation.Contracts;
using RedEducation.Testing;

[assembly: AssemblyFixture(typeof(RedEducation.Cli.Tests.CliServer))]
// The tests share the server's business clock (check-in moves it to the visit), so they take turns.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace RedEducation.Cli.Tests;

/// <summary>What a person running <c>redu</c> sees: its exit code, its standard output and its standard error.</summary>
public sealed record CliRun(int Exit, string Out, string Err)
{
    public override string ToString() => $"exit {Exit}\n--- stdout\n{Out}\n--- stderr\n{Err}";
}

/// <summary>
/// The real server (Kestrel on a loopback port, the co-hosted silo, SQLite) over a temp data directory with free silo
/// and gateway ports and a settable business clock, and <c>redu</c> run in-process against it. Each demo user signs in
/// once, through <c>redu login</c>, into a config directory of its own, as sign-in is rate-limited per address.
/// </summary>
public sealed class CliServer : IAsyncLifetime
{
    public const string Venue = "liaoshen-memorial";
    public const string OtherVenue = "leifeng-memorial";
    public const string Password = "demo";

    private readonly TempDirectory _root = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _configDirs = new();
    private Factory? _factory;
    private int _directories;

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A visit date, bookable today, on which both test venues are open.</summary>
    public DateOnly VisitDay { get; private set; }

    /// <summary>Another such date, for moves.</summary>
    public DateOnly OtherDay { get; private set; }

    public Uri Address => _factory?.ClientOptions.BaseAddress ?? throw new InvalidOperationException("the server is not started");

    public string Root => _root.Path;

    public async ValueTask InitializeAsync()
    {
        VisitDay = NextOpenForBoth(TestDates.Today.AddDays(10));
        OtherDay = NextOpenForBoth(VisitDay.AddDays(1));
        var data = Directory.CreateDirectory(Path.Combine(_root.Path, "data")).FullName;
        _factory = new Factory(data, Ports.Free(), Ports.Free(), Clock);
        _factory.UseKestrel(0);
        _factory.StartServer();
        using var client = new HttpClient { BaseAddress = Address };
        for (var attempt = 0; attempt < 600 && !(await client.GetAsync(new Uri("/health/ready", UriKind.Relative), TestContext.Current.CancellationToken)).IsSuccessStatusCode; attempt++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
        }
        // Room for every test's groups, so that they never meet the venues' daily or per-unit caps.
        using var admin = new HttpClient { BaseAddress = Address };
        var token = await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = Password }, TestContext.Current.CancellationToken);
        token.EnsureSuccessStatusCode();
        var body = await token.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken);
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", (string?)body!["accessToken"]);
        foreach (var id in new[] { Venue, OtherVenue })
        {
            var response = await admin.PatchAsJsonAsync($"/api/venues/{id}",
                new { slotCapacity = 5000, dailyCap = 100_000, groupMax = 500, unitCapPerDay = 100_000 }, TestContext.Current.CancellationToken);
            response.EnsureSuccessStatusCode();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        _root.Dispose();
    }

    /// <summary>A fresh, empty config directory: nobody signed in.</summary>
    public string NewConfigDir() =>
        Directory.CreateDirectory(Path.Combine(_root.Path, "config-" + Interlocked.Increment(ref _directories).ToString(CultureInfo.InvariantCulture))).FullName;

    /// <summary>Runs <c>redu</c> with <paramref name="args"/> against this server, keeping its token in <paramref name="configDir"/>.</summary>
    public async Task<CliRun> RunInAsync(string configDir, params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await Cli.RunAsync([.. args, "--server", Address.ToString(), "--config-dir", configDir], output, error, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    /// <summary>Runs <c>redu</c> signed in as <paramref name="user"/> (signing in with <c>redu login</c> the first time).</summary>
    public async Task<CliRun> RunAsAsync(string user, params string[] args) => await RunInAsync(await ConfigDirForAsync(user), args);

    /// <summary>Runs <c>redu</c> signed in as nobody.</summary>
    public Task<CliRun> RunAnonymousAsync(params string[] args) => RunInAsync(NewConfigDir(), args);

    public Task<string> ConfigDirForAsync(string user) =>
        _configDirs.GetOrAdd(user, name => new Lazy<Task<string>>(async () =>
        {
            var dir = NewConfigDir();
            var login = await RunInAsync(dir, "login", name, "--password", Password);
            Assert.True(login.Exit == 0, login.ToString());
            return dir;
        })).Value;

    /// <summary>Sets the business clock to <paramref name="time"/> on <paramref name="date"/> in Asia/Shanghai until the result is disposed.</summary>
    public IDisposable ClockAt(DateOnly date, TimeOnly time)
    {
        var before = Clock.Now;
        Clock.SetLocal(date, time);
        return new Restore(() => Clock.Now = before);
    }

    private static DateOnly NextOpenForBoth(DateOnly from)
    {
        var venue = TestVenues.Seed(Venue);
        var other = TestVenues.Seed(OtherVenue);
        var day = from;
        while (!venue.IsOpenOn(day) || !other.IsOpenOn(day))
        {
            day = day.AddDays(1);
        }
        return day;
    }

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }

    private sealed class Factory(string dataDirectory, int siloPort, int gatewayPort, TimeProvider clock) : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment("Production");
            builder.UseSetting("RedEducation:DataDirectory", dataDirectory);
            builder.UseSetting("RedEducation:SiloPort", siloPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("RedEducation:GatewayPort", gatewayPort.ToString(CultureInfo.InvariantCulture));
            builder.UseSetting("RedEducation:SeedDemoAccounts", "true");
            builder.UseSetting("RedEducation:Limits:BookingChangesPerMinute", "1000000");
            builder.UseSetting("RedEducation:Limits:RoutePlansPerMinute", "1000000");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Orleans", "Error");
            builder.ConfigureTestServices(services => services.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, clock));
        }
    }
}

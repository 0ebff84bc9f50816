using System.Collections.Concurrent;
using System.Globalization;
using RedEducation.Cli;
using RedEducation.Server.Testing;
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
/// The real server (<see cref="RedEducationServer"/>: Kestrel on a loopback port, the co-hosted silo, SQLite) with a
/// settable business clock, and <c>redu</c> run in-process against it. Each demo user signs in once, through
/// <c>redu login</c>, into a config directory of its own, as sign-in is rate-limited per address.
/// </summary>
public sealed class CliServer : IAsyncLifetime
{
    public const string Venue = "liaoshen-memorial";
    public const string OtherVenue = "leifeng-memorial";
    public const string Password = RedEducationServer.Password;

    private readonly TempDirectory _root = new();
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _configDirs = new();
    private int _directories;

    public CliServer()
    {
        // The data directory sits under Root, where tests find the server's keys (Root/data/keys).
        var data = Directory.CreateDirectory(Path.Combine(_root.Path, "data")).FullName;
        Server = new RedEducationServer(data) { Clock = Clock };
    }

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public RedEducationServer Server { get; }

    /// <summary>A visit date, bookable today, on which both test venues are open.</summary>
    public DateOnly VisitDay { get; } = TestVenueSetup.FirstDayAllOpen(TestDates.Today.AddDays(10), Venue, OtherVenue);

    /// <summary>Another such date, for moves.</summary>
    public DateOnly OtherDay => TestVenueSetup.FirstDayAllOpen(VisitDay.AddDays(1), Venue, OtherVenue);

    public Uri Address => Server.BaseAddress;

    public string Root => _root.Path;

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        await Server.OpenForLargeGroupsAsync(Venue, OtherVenue);
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
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

    private sealed class Restore(Action action) : IDisposable
    {
        public void Dispose() => action();
    }
}

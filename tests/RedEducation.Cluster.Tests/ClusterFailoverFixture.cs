using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using RedEducation.Testing;

namespace RedEducation.Cluster.Tests;

public enum Outcome
{
    /// <summary>201 or 200 with status confirmed: the client was told the group has its places.</summary>
    Confirmed,
    /// <summary>409 slot-full: a decided refusal.</summary>
    SlotFull,
    /// <summary>503 or a failed connection: not decided, so the same request is sent again with the same Idempotency-Key.</summary>
    Unavailable,
    /// <summary>Any other reply; none is expected.</summary>
    Unexpected,
}

/// <summary>The last answer to one planned booking, after its retries.</summary>
public sealed record Decided(PlannedBooking Request, Outcome Outcome, Reply? Reply, int Attempts);

/// <summary>One sent request: when it was sent and answered (since the load began), and whether it was answered or failed.</summary>
public sealed record Sent(TimeSpan Started, TimeSpan At, Outcome Outcome);

/// <summary>
/// Runs the failover once for all tests of the class: throwaway PostgreSQL (grain state) and Redis (membership), three
/// silo processes and one front-end process of the Release build, a booking load through the front end's HTTP API over
/// three venues, and a SIGKILL of one silo in the middle of it while requests keep coming.
/// </summary>
public sealed class ClusterFailoverFixture : IAsyncLifetime
{
    public static readonly string[] Venues = ["leifeng-memorial", "liaoshen-memorial", "dandong-kmyc-memorial"];
    public static readonly string[] Units = ["unit1", "unit2", "unit3"];
    public const int Silos = 3;
    public const int Killed = 1;
    public const int SlotCapacity = 300;
    public const int InFlight = 32;
    public const int Planned = 2_400;
    public const int KillAfterConfirmed = 400;
    private const int MaxAttempts = 400;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(250);

    private readonly TempDirectory _root = new();
    private readonly ConcurrentBag<ServerProcess> _started = [];
    private readonly ConcurrentQueue<Sent> _sent = new();
    private ThrowawayPostgres? _postgres;
    private ThrowawayRedis? _redis;
    private ServerProcess[] _silos = [];

    public HttpClient Http { get; } = new(new SocketsHttpHandler { MaxConnectionsPerServer = InFlight * 2 }) { Timeout = TimeSpan.FromMinutes(5) };

    public PublicApi Api { get; private set; } = null!;

    public string Date { get; } = TestDates.Today.AddDays(10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public IReadOnlyDictionary<string, string> Tokens { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<Decided> Decisions { get; private set; } = [];

    public IReadOnlyList<Sent> SentRequests => [.. _sent];

    public TimeSpan KilledAt { get; private set; }

    public int InFlightAtKill { get; private set; }

    public int KilledExitCode { get; private set; }

    public IEnumerable<Decided> Confirmed => Decisions.Where(d => d.Outcome == Outcome.Confirmed);

    public string ServerOutput => string.Join(Environment.NewLine, _silos.Select((s, i) => $"silo {i}:{Environment.NewLine}{s.OutputTail}"));

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _postgres = ThrowawayPostgres.Start(maxConnections: 300);
        _redis = await ThrowawayRedis.StartAsync(cancellationToken);
        var keys = Path.Combine(_root.Path, "keys");
        ServerProcess.RunCommand("generate-keys", keys);
        string[] cluster = ["--RedEducation:Clustering=Redis", $"--RedEducation:RedisConnectionString={_redis.ConnectionString}", "--RedEducation:AdvertisedAddress=127.0.0.1"];

        // Started together, as a Kubernetes StatefulSet with parallel pod management would: seeding runs three times at once.
        _silos = await Task.WhenAll(Enumerable.Range(0, Silos).Select(i => StartAsync(
        [
            .. cluster,
            "--RedEducation:Role=Silo",
            "--RedEducation:Storage=Postgres",
            $"--RedEducation:PostgresConnectionString={_postgres.ConnectionString(pooling: true)}",
            $"--RedEducation:DataDirectory={Path.Combine(_root.Path, $"silo-{i}")}",
            $"--RedEducation:SiloPort={Ports.Free()}",
            $"--RedEducation:GatewayPort={Ports.Free()}",
        ], cancellationToken)));
        var frontEnd = await StartAsync(
        [
            .. cluster,
            "--RedEducation:Role=FrontEnd",
            $"--RedEducation:KeyDirectory={keys}",
            $"--RedEducation:DataDirectory={Path.Combine(_root.Path, "front-end")}",
        ], cancellationToken);
        Api = new PublicApi(Http) { BaseAddress = frontEnd.BaseAddress };

        var admin = await Api.SignInAsync("admin", cancellationToken);
        var slots = new List<(string Venue, string Slot)>();
        foreach (var venue in Venues)
        {
            var patched = await Api.OpenForLoadAsync(admin, venue, SlotCapacity, cancellationToken);
            slots.AddRange(patched.Slots.Select(s => (venue, s.Start)));
        }
        var tokens = new Dictionary<string, string>();
        foreach (var unit in Units)
        {
            tokens[unit] = await Api.SignInAsync(unit, cancellationToken);
        }
        Tokens = tokens;

        Decisions = await LoadAsync(Plan(slots), cancellationToken);
        await _silos[Killed].WaitForExitAsync(cancellationToken);
        KilledExitCode = _silos[Killed].ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _started)
        {
            await server.DisposeAsync();
        }
        Http.Dispose();
        _redis?.Dispose();
        _postgres?.Dispose();
        _root.Dispose();
    }

    private async Task<ServerProcess> StartAsync(string[] settings, CancellationToken cancellationToken)
    {
        var server = await ServerProcess.StartAsync(Http, cancellationToken, settings);
        _started.Add(server);
        return server;
    }

    /// <summary>Small groups over every slot of the three venues: hundreds of bookings fit, and the slots fill up towards the end.</summary>
    private PlannedBooking[] Plan(List<(string Venue, string Slot)> slots)
    {
        var random = new Random(20261127);
        return [.. Enumerable.Range(0, Planned).Select(i =>
        {
            var (venue, slot) = slots[random.Next(slots.Count)];
            return new PlannedBooking(i, Units[i % Units.Length], $"cluster-{i}-{Guid.NewGuid():N}", venue, Date, slot, random.Next(1, 11));
        })];
    }

    /// <summary>
    /// Sends the plan with <see cref="InFlight"/> bookings at a time, each until it is decided; kills one silo once
    /// <see cref="KillAfterConfirmed"/> are confirmed, and goes on to the end of the plan.
    /// </summary>
    private async Task<IReadOnlyList<Decided>> LoadAsync(PlannedBooking[] plan, CancellationToken cancellationToken)
    {
        var decided = new Decided?[plan.Length];
        var clock = Stopwatch.StartNew();
        var next = -1;
        var confirmed = 0;
        var inFlight = 0;
        var killed = 0;

        async Task<Decided> DecideAsync(PlannedBooking booking)
        {
            for (var attempt = 1; ; attempt++)
            {
                Interlocked.Increment(ref inFlight);
                var started = clock.Elapsed;
                Reply? reply = null;
                Outcome outcome;
                try
                {
                    reply = await Api.BookAsync(Tokens[booking.Unit], booking, cancellationToken);
                    outcome = Classify(reply);
                }
                catch (HttpRequestException)
                {
                    outcome = Outcome.Unavailable;
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
                _sent.Enqueue(new Sent(started, clock.Elapsed, outcome));
                if (outcome != Outcome.Unavailable || attempt == MaxAttempts)
                {
                    return new Decided(booking, outcome, reply, attempt);
                }
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }

        async Task WorkerAsync()
        {
            for (var i = Interlocked.Increment(ref next); i < plan.Length; i = Interlocked.Increment(ref next))
            {
                var decision = await DecideAsync(plan[i]);
                decided[i] = decision;
                if (decision.Outcome == Outcome.Confirmed
                    && Interlocked.Increment(ref confirmed) >= KillAfterConfirmed
                    && Interlocked.Exchange(ref killed, 1) == 0)
                {
                    InFlightAtKill = Volatile.Read(ref inFlight);
                    KilledAt = clock.Elapsed;
                    _silos[Killed].Kill();
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => WorkerAsync()));
        if (Interlocked.Exchange(ref killed, 1) == 0)
        {
            // Too few confirmations to reach the kill: kill anyway, so that the tests report what they saw.
            KilledAt = clock.Elapsed;
            _silos[Killed].Kill();
        }
        return [.. decided.OfType<Decided>()];
    }

    public static Outcome Classify(Reply reply) => reply switch
    {
        { Status: HttpStatusCode.Created or HttpStatusCode.OK, Booking.Status: "confirmed" } => Outcome.Confirmed,
        { Status: HttpStatusCode.Conflict, ProblemType: "/problems/slot-full" } => Outcome.SlotFull,
        { Status: HttpStatusCode.ServiceUnavailable } => Outcome.Unavailable,
        _ => Outcome.Unexpected,
    };
}

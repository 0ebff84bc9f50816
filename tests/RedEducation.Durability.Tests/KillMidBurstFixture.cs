using System.Globalization;
using System.Net;
using RedEducation.Testing;

namespace RedEducation.Durability.Tests;

public enum AttemptOutcome
{
    /// <summary>201 or 200 with status confirmed: the client was told the group has its places.</summary>
    Confirmed,
    /// <summary>409 slot-full.</summary>
    SlotFull,
    /// <summary>The connection failed: refused, reset or closed without a reply (the server was killed).</summary>
    ConnectionFailed,
    /// <summary>Any other reply; none is expected.</summary>
    Unexpected,
}

/// <summary>One sent request and what the client saw.</summary>
public sealed record Attempt(PlannedBooking Booking, AttemptOutcome Outcome, Reply? Reply, string? Error);

/// <summary>
/// Runs the crash once for all tests of the class: a burst of concurrent bookings against the real server, a SIGKILL
/// after some hundreds of confirmations while requests are in flight, and a restart on the same data directory. This
/// one runs the server on the embedded default, SQLite; <see cref="PostgresKillMidBurstFixture"/> on PostgreSQL.
/// </summary>
public class KillMidBurstFixture : IAsyncLifetime
{
    public const string VenueId = "leifeng-memorial";
    public const int SlotCapacity = 300;
    public const int InFlight = 64;
    public const int Planned = 3_000;
    public const int KillAfterConfirmed = 250;
    public static readonly string[] Units = ["unit1", "unit2", "unit3"];

    private readonly TempDirectory _data = new();
    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = InFlight * 2 })
    {
        // Generous: a killed server resets its connections at once, and a live one answers in milliseconds.
        Timeout = TimeSpan.FromMinutes(5),
    };
    private ServerProcess? _killed;
    private ServerProcess? _server;

    public KillMidBurstFixture() => Api = new PublicApi(_http);

    public PublicApi Api { get; }

    public string Date { get; } = ApiDate(TestDates.Today.AddDays(10));

    public IReadOnlyDictionary<string, string> Tokens { get; private set; } = new Dictionary<string, string>();

    public IReadOnlyList<Attempt> Attempts { get; private set; } = [];

    /// <summary>Requests sent and not yet answered when the kill was issued.</summary>
    public int InFlightAtKill { get; private set; }

    public int KilledExitCode { get; private set; }

    public IEnumerable<Attempt> Confirmed => Attempts.Where(a => a.Outcome == AttemptOutcome.Confirmed);

    public string ServerOutput => $"killed server:{Environment.NewLine}{_killed?.OutputTail}{Environment.NewLine}restarted server:{Environment.NewLine}{_server?.OutputTail}";

    /// <summary>Server settings that choose the storage: none for the embedded default.</summary>
    protected virtual IEnumerable<string> StorageSettings => [];

    public virtual async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        _killed = await StartServerAsync(cancellationToken);
        Api.BaseAddress = _killed.BaseAddress;

        var admin = await Api.SignInAsync("admin", cancellationToken);
        var tokens = new Dictionary<string, string>();
        foreach (var unit in Units)
        {
            tokens[unit] = await Api.SignInAsync(unit, cancellationToken);
        }
        Tokens = tokens;

        // Small groups in slots of 300: hundreds of bookings fit, and the slot that gets half of the requests fills early.
        var venue = await Api.OpenForLoadAsync(admin, VenueId, SlotCapacity, cancellationToken);
        Assert.True(venue.Slots.Count >= 2, "the venue needs at least two slots");

        Attempts = await BurstAsync(Plan([.. venue.Slots.Select(s => s.Start)]), cancellationToken);
        await _killed.WaitForExitAsync(cancellationToken);
        KilledExitCode = _killed.ExitCode;

        _server = await StartServerAsync(cancellationToken);
        Api.BaseAddress = _server.BaseAddress;
    }

    private Task<ServerProcess> StartServerAsync(CancellationToken cancellationToken) => ServerProcess.StartAsync(_http, cancellationToken,
    [
        $"--RedEducation:DataDirectory={_data.Path}",
        $"--RedEducation:SiloPort={Ports.Free()}",
        $"--RedEducation:GatewayPort={Ports.Free()}",
        .. StorageSettings,
    ]);

    public virtual async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
        if (_killed is not null)
        {
            await _killed.DisposeAsync();
        }
        _http.Dispose();
        _data.Dispose();
        GC.SuppressFinalize(this);
    }

    private PlannedBooking[] Plan(string[] slots)
    {
        var sizes = new Random(20261201);
        return [.. Enumerable.Range(0, Planned).Select(i => new PlannedBooking(
            i,
            Units[i % Units.Length],
            $"durability-{i}-{Guid.NewGuid():N}",
            VenueId,
            Date,
            i % 2 == 0 ? slots[0] : slots[1 + (i / 2 % (slots.Length - 1))],
            sizes.Next(1, 11)))];
    }

    /// <summary>
    /// Sends the plan with <see cref="InFlight"/> requests at a time until the server is killed; returns what was sent.
    /// The kill is not issued from the reply that reaches <see cref="KillAfterConfirmed"/>: replies come in batches (one
    /// group commit answers many requests at once), so at that moment the rest of the batch may already be answered,
    /// only not yet read. Instead the killer waits until the workers have sent their next requests, which the server
    /// cannot have answered yet, and kills then.
    /// </summary>
    private async Task<IReadOnlyList<Attempt>> BurstAsync(PlannedBooking[] plan, CancellationToken cancellationToken)
    {
        var attempts = new Attempt?[plan.Length];
        var next = -1;
        var confirmed = 0;
        var inFlight = 0;
        var killed = 0;
        var armed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        async Task WorkerAsync()
        {
            while (Volatile.Read(ref killed) == 0)
            {
                var i = Interlocked.Increment(ref next);
                if (i >= plan.Length)
                {
                    return;
                }
                var booking = plan[i];
                Interlocked.Increment(ref inFlight);
                Attempt attempt;
                try
                {
                    var reply = await Api.BookAsync(Tokens[booking.Unit], booking, cancellationToken);
                    attempt = new Attempt(booking, Classify(reply), reply, null);
                }
                catch (HttpRequestException e)
                {
                    attempt = new Attempt(booking, AttemptOutcome.ConnectionFailed, null, e.Message);
                }
                finally
                {
                    Interlocked.Decrement(ref inFlight);
                }
                attempts[i] = attempt;
                if (attempt.Outcome == AttemptOutcome.Confirmed && Interlocked.Increment(ref confirmed) >= KillAfterConfirmed)
                {
                    armed.TrySetResult();
                }
            }
        }

        var workers = Task.WhenAll(Enumerable.Range(0, InFlight).Select(_ => Task.Run(WorkerAsync, cancellationToken)));
        await Task.WhenAny(armed.Task, workers);
        // Bounded by count, not time: most workers have a new request out within microseconds of reading their reply.
        var spin = new SpinWait();
        for (var i = 0; i < 1_000_000 && Volatile.Read(ref inFlight) < InFlight / 2; i++)
        {
            spin.SpinOnce(sleep1Threshold: -1);
        }
        InFlightAtKill = Volatile.Read(ref inFlight);
        Volatile.Write(ref killed, 1);
        // When the plan ran out before enough confirmations, the kill still comes, so the tests report what they saw.
        _killed!.Kill();
        await workers;
        return [.. attempts.OfType<Attempt>()];
    }

    public static AttemptOutcome Classify(Reply reply) => reply switch
    {
        { Status: HttpStatusCode.Created or HttpStatusCode.OK, Booking.Status: "confirmed" } => AttemptOutcome.Confirmed,
        { Status: HttpStatusCode.Conflict, ProblemType: "/problems/slot-full" } => AttemptOutcome.SlotFull,
        _ => AttemptOutcome.Unexpected,
    };

    private static string ApiDate(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}

/// <summary>
/// The same crash with the server's state in a throwaway PostgreSQL (fsync and synchronous_commit on), started by the
/// fixture: PostgreSQL outlives the killed server, as a database server does.
/// </summary>
public sealed class PostgresKillMidBurstFixture : KillMidBurstFixture
{
    private readonly ThrowawayPostgres _postgres = ThrowawayPostgres.Start(durable: true);

    protected override IEnumerable<string> StorageSettings =>
        ["--RedEducation:Storage=Postgres", $"--RedEducation:PostgresConnectionString={_postgres.ConnectionString(pooling: true)}"];

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _postgres.Dispose();
    }
}

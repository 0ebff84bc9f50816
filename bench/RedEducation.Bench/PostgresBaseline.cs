using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace RedEducation.Bench;

/// <summary>
/// The baseline of quality.md: how a SQL-backed ticket shop books. One transaction per booking on a shared slot row:
/// a conditional <c>UPDATE slot SET booked = booked + n … AND booked + n &lt;= capacity</c>, then, if it took, the
/// <c>INSERT</c> of the booking, committed with synchronous_commit on. Every connection is a caller of its own.
/// </summary>
internal sealed class PostgresBaseline(NpgsqlDataSource dataSource)
{
    /// <summary>Bookings at 8 connections before the measured levels, not reported.</summary>
    public const int WarmUpBookings = 5_000;

    private int _slots;

    public static async Task<PostgresBaseline> CreateAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("""
            CREATE TABLE slot (
                id       integer PRIMARY KEY,
                capacity integer NOT NULL,
                booked   integer NOT NULL DEFAULT 0
            );
            CREATE TABLE booking (
                id            text PRIMARY KEY,
                slot_id       integer NOT NULL REFERENCES slot (id),
                unit          text NOT NULL,
                headcount     integer NOT NULL,
                contact_name  text NOT NULL,
                contact_phone text NOT NULL,
                created_at    timestamptz NOT NULL DEFAULT now()
            );
            """);
        await command.ExecuteNonQueryAsync();
        return new PostgresBaseline(dataSource);
    }

    /// <summary>The server's setting as a booking connection sees it, for the report.</summary>
    public async Task<string> SettingAsync(string name)
    {
        await using var command = dataSource.CreateCommand($"SHOW {name}");
        return (string)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Books <paramref name="requests"/> groups (the burst's sizes) into a fresh slot over <paramref name="connections"/> connections.</summary>
    public async Task<LevelResult> RunAsync(int connections, int requests, int capacity)
    {
        var slot = Interlocked.Increment(ref _slots);
        await using (var create = dataSource.CreateCommand("INSERT INTO slot (id, capacity) VALUES ($1, $2)"))
        {
            create.Parameters.Add(new NpgsqlParameter<int> { TypedValue = slot });
            create.Parameters.Add(new NpgsqlParameter<int> { TypedValue = capacity });
            await create.ExecuteNonQueryAsync();
        }
        // The same seed as the grain burst: the same sequence of group sizes.
        var sizes = new Random(20261201);
        var headcounts = Enumerable.Range(0, requests).Select(_ => sizes.Next(1, HotVenueDay.GroupMax + 1)).ToArray();
        var samples = new Sample[requests];
        string? firstError = null;
        var next = -1;

        var cpu = CpuUse.Now();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, Math.Min(connections, requests)).Select(_ => WorkerAsync()));
        var elapsed = Stopwatch.GetElapsedTime(started);
        cpu = CpuUse.Now() - cpu;

        await using var read = dataSource.CreateCommand("SELECT booked, (SELECT coalesce(sum(headcount), 0) FROM booking WHERE slot_id = $1)::integer FROM slot WHERE id = $1");
        read.Parameters.Add(new NpgsqlParameter<int> { TypedValue = slot });
        await using var reader = await read.ExecuteReaderAsync();
        await reader.ReadAsync();
        var booked = reader.GetInt32(0);
        // Bookings rows that disagree with the slot counter count as booked elsewhere, which fails the overbooking check.
        var bookingRows = reader.GetInt32(1);
        return new LevelResult("baseline", connections, capacity, samples, elapsed, cpu, booked, Math.Abs(bookingRows - booked), firstError);

        async Task WorkerAsync()
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var take = new NpgsqlCommand("UPDATE slot SET booked = booked + $2 WHERE id = $1 AND booked + $2 <= capacity", connection);
            take.Parameters.Add(new NpgsqlParameter<int> { TypedValue = slot });
            var takeCount = new NpgsqlParameter<int>();
            take.Parameters.Add(takeCount);
            await using var insert = new NpgsqlCommand(
                "INSERT INTO booking (id, slot_id, unit, headcount, contact_name, contact_phone) VALUES ($1, $2, $3, $4, 'Bench Contact', '13800000000')", connection);
            var id = new NpgsqlParameter<string>();
            var unit = new NpgsqlParameter<string>();
            var headcount = new NpgsqlParameter<int>();
            insert.Parameters.Add(id);
            insert.Parameters.Add(new NpgsqlParameter<int> { TypedValue = slot });
            insert.Parameters.Add(unit);
            insert.Parameters.Add(headcount);
            // Prepared, as a shop's data layer would have them: the baseline should not lose on parsing.
            await take.PrepareAsync();
            await insert.PrepareAsync();

            for (var i = Interlocked.Increment(ref next); i < requests; i = Interlocked.Increment(ref next))
            {
                var start = Stopwatch.GetTimestamp();
                Outcome outcome;
                try
                {
                    await using var transaction = await connection.BeginTransactionAsync();
                    take.Transaction = transaction;
                    insert.Transaction = transaction;
                    takeCount.TypedValue = headcounts[i];
                    if (await take.ExecuteNonQueryAsync() == 1)
                    {
                        id.TypedValue = string.Create(CultureInfo.InvariantCulture, $"{slot}-{i}");
                        unit.TypedValue = string.Create(CultureInfo.InvariantCulture, $"bench-unit-{i % HotVenueDay.Units:D3}");
                        headcount.TypedValue = headcounts[i];
                        await insert.ExecuteNonQueryAsync();
                        outcome = Outcome.Confirmed;
                    }
                    else
                    {
                        outcome = Outcome.Refused;
                    }
                    await transaction.CommitAsync();
                }
                catch (NpgsqlException e)
                {
                    outcome = Outcome.Error;
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
                samples[i] = new Sample(outcome, headcounts[i], Stopwatch.GetElapsedTime(start));
            }
        }
    }
}

using Npgsql;
using RedEducation.Testing;

namespace RedEducation.Storage.Tests;

/// <summary>One throwaway PostgreSQL server for the PostgreSQL store tests; each test gets a database of its own.</summary>
public sealed class PostgresServerFixture : IDisposable
{
    private int _databases;

    public ThrowawayPostgres Server { get; } = ThrowawayPostgres.Start();

    /// <summary>Creates an empty database and returns a pooled connection string to it.</summary>
    public string NewDatabase()
    {
        var name = $"store_{Interlocked.Increment(ref _databases)}";
        using var admin = new NpgsqlConnection(Server.ConnectionString());
        admin.Open();
        using var create = new NpgsqlCommand($"CREATE DATABASE {name}", admin);
        create.ExecuteNonQuery();
        return Server.ConnectionString(name, pooling: true);
    }

    public void Dispose() => Server.Dispose();
}

/// <summary>The store contract on PostgreSQL, plus what only the PostgreSQL schema handling has to show.</summary>
public sealed class PostgresStateStoreTests(PostgresServerFixture postgres) : StateStoreContract, IClassFixture<PostgresServerFixture>
{
    private readonly string _connectionString = postgres.NewDatabase();

    protected override IStateStore OpenStore()
    {
        var store = new PostgresStateStore(_connectionString);
        store.Initialize();
        return store;
    }

    [Fact]
    public async Task Initialize_EmptyDatabase_RecordsEachSchemaStepOnce()
    {
        using (OpenStore())
        {
        }
        using var again = OpenStore();
        again.Initialize();

        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new NpgsqlCommand("SELECT count(*), max(version) FROM schema_version", connection);
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        Assert.True(await reader.ReadAsync(TestContext.Current.CancellationToken));
        Assert.Equal(PostgresStateStore.SchemaVersion, reader.GetInt64(0));
        Assert.Equal(PostgresStateStore.SchemaVersion, reader.GetInt32(1));
    }

    [Fact]
    public async Task Initialize_ManyStoresAtOnce_AllSucceedOnOneSchema()
    {
        var stores = Enumerable.Range(0, 6).Select(_ => new PostgresStateStore(_connectionString)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => Task.Run(s.Initialize, TestContext.Current.CancellationToken)));

            Assert.Equal([true], stores[0].Commit([new StateWrite("s", "g", "{}", 0)], []));
            Assert.Equal(new StoredState("{}", 1), await stores[5].ReadAsync("s", "g"));
        }
        finally
        {
            foreach (var store in stores)
            {
                store.Dispose();
            }
        }
    }

    [Fact]
    public async Task Initialize_DatabaseFromANewerBuild_RefusesToStart()
    {
        using (OpenStore())
        {
        }
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand($"INSERT INTO schema_version (version) VALUES ({PostgresStateStore.SchemaVersion + 1})", connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
        using var store = new PostgresStateStore(_connectionString);

        var error = Assert.Throws<InvalidOperationException>(store.Initialize);

        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Initialize_DatabaseAtSchemaVersionOne_AddsTheIndexTableAndKeepsTheStates()
    {
        // A database as the first release left it: grain_state only, schema version 1, one grain state stored.
        await using (var connection = new NpgsqlConnection(_connectionString))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var command = new NpgsqlCommand("""
                CREATE TABLE schema_version (version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());
                INSERT INTO schema_version (version) VALUES (1);
                CREATE TABLE grain_state (state_name text NOT NULL, grain_id text NOT NULL, version bigint NOT NULL,
                    payload text NOT NULL, updated_at timestamptz NOT NULL, PRIMARY KEY (state_name, grain_id));
                INSERT INTO grain_state VALUES ('unit', 'unit/u1', 3, '{"BookingIds":["bk-1"]}', now());
                """, connection);
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        using var store = OpenStore();
        store.Commit([], [new IndexEntry("unit/u1", "bk-2")]);

        Assert.Equal(new StoredState("""{"BookingIds":["bk-1"]}""", 3), await store.ReadAsync("unit", "unit/u1"));
        Assert.Equal(["bk-2"], await store.ListIndexAsync("unit/u1"));
    }

    [Fact]
    public async Task Commit_JournalSegmentOfABusyCommit_IsCompressedWithLz4WhereOfferedAndKeptInItsRow()
    {
        using var store = OpenStore();
        // 40 placements as a busy commit writes them, each with 64 hex digits that do not compress: about 4 KB once
        // compressed, past the 2 KB at which PostgreSQL would otherwise move it out of line.
        var random = new Random(6);
        var segment = "[" + string.Join(",", Enumerable.Range(0, 40).Select(i =>
            $$"""{"Id":"bk{{i:D20}}","UnitId":"unit-{{i % 7}}","Slot":{"Start":"10:00","End":"11:00"},"Headcount":{{i % 10 + 1}},"Status":"Confirmed","Sequence":{{i}},"Digest":"{{Convert.ToHexString(random.GetItems<byte>([.. Enumerable.Range(0, 256).Select(b => (byte)b)], 32))}}"}""")) + "]";

        Assert.Equal([true], store.Commit([new StateWrite("venueday-journal/000000", "venueday/v/2026-12-01", segment, 0)]));

        Assert.Equal(new StoredState(segment, 1), await store.ReadAsync("venueday-journal/000000", "venueday/v/2026-12-01"));
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        var stored = await QueryAsync(connection, "SELECT pg_column_compression(payload) || ' ' || octet_length(payload) || ' ' || pg_column_size(payload) FROM grain_state");
        var toast = await QueryAsync(connection, "SELECT reltoastrelid::regclass::text FROM pg_class WHERE relname = 'grain_state'");
        var chunks = await QueryAsync(connection, $"SELECT count(*)::text FROM {toast}");
        var lz4 = await QueryAsync(connection, "SELECT ('lz4' = ANY (enumvals))::text FROM pg_settings WHERE name = 'default_toast_compression'");
        var parts = stored.Split(' ');
        Assert.Equal(lz4 == "true" ? "lz4" : "pglz", parts[0]);
        Assert.True(int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) > 8160, "too large for a row uncompressed");
        Assert.InRange(int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), 2100, 8160);
        Assert.Equal("0", chunks);
    }

    private static async Task<string> QueryAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (string)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}

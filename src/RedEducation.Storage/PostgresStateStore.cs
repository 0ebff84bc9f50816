using Npgsql;

namespace RedEducation.Storage;

/// <summary>
/// Grain states in one PostgreSQL table. The application creates and upgrades its own schema (numbered steps recorded
/// in <c>schema_version</c>, applied under an advisory lock so that silos starting together do not race). A commit is
/// one transaction sent as one batch of statements; synchronous_commit is left at the server's setting (on by default),
/// so a commit returns once its WAL is on disk. Every connection, the committing one included, comes from one pool.
/// </summary>
public sealed class PostgresStateStore : IStateStore
{
    // Any fixed number: it only has to be the same for every process that upgrades this schema.
    private const long SchemaLockKey = 0x5265_6445_6475_0001;

    // Payload is text, not jsonb: jsonb reorders object keys, and System.Text.Json wants "$type" first when it reads
    // polymorphic state back.
    private static readonly string[] SchemaSteps =
    [
        """
        CREATE TABLE grain_state (
            state_name text        NOT NULL,
            grain_id   text        NOT NULL,
            version    bigint      NOT NULL,
            payload    text        NOT NULL,
            updated_at timestamptz NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        )
        """,
    ];

    private const string InsertSql =
        "INSERT INTO grain_state (state_name, grain_id, version, payload, updated_at) VALUES ($1, $2, 1, $3, now()) ON CONFLICT DO NOTHING";

    private const string UpdateSql =
        "UPDATE grain_state SET version = version + 1, payload = $3, updated_at = now() WHERE state_name = $1 AND grain_id = $2 AND version = $4";

    private const string DeleteSql =
        "DELETE FROM grain_state WHERE state_name = $1 AND grain_id = $2 AND version = $3";

    private readonly NpgsqlDataSource _dataSource;

    public PostgresStateStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    /// <summary>The schema version this code expects; <see cref="Initialize"/> brings the database up to it.</summary>
    public static int SchemaVersion => SchemaSteps.Length;

    public void Initialize()
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        Execute(connection, "SELECT pg_advisory_xact_lock($1)", SchemaLockKey);
        Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
        using (var current = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version", connection))
        {
            var version = Convert.ToInt32(current.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            if (version > SchemaSteps.Length)
            {
                throw new InvalidOperationException(
                    $"the database schema is at version {version}, newer than this build knows ({SchemaSteps.Length}); run a newer build");
            }
            for (var step = version; step < SchemaSteps.Length; step++)
            {
                Execute(connection, SchemaSteps[step]);
                Execute(connection, "INSERT INTO schema_version (version) VALUES ($1)", step + 1);
            }
        }
        transaction.Commit();
    }

    public async ValueTask<StoredState?> ReadAsync(string stateName, string grainId)
    {
        await using var command = _dataSource.CreateCommand("SELECT payload, version FROM grain_state WHERE state_name = $1 AND grain_id = $2");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = stateName });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId });
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? new StoredState(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public bool[] Commit(IReadOnlyList<StateWrite> writes)
    {
        using var connection = _dataSource.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var write in writes)
        {
            var command = new NpgsqlBatchCommand((write.Json, write.ExpectedVersion) switch
            {
                (null, _) => DeleteSql,
                (_, 0) => InsertSql,
                _ => UpdateSql,
            });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.StateName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.GrainId });
            if (write.Json is not null)
            {
                command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = write.Json });
            }
            if (write.Json is null || write.ExpectedVersion != 0)
            {
                command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = write.ExpectedVersion });
            }
            batch.BatchCommands.Add(command);
        }
        // One round trip for all statements; they run in order, so two writes to one row in a batch behave as if sent one by one.
        batch.ExecuteNonQuery();
        transaction.Commit();
        var applied = new bool[writes.Count];
        for (var i = 0; i < applied.Length; i++)
        {
            applied[i] = batch.BatchCommands[i].RecordsAffected == 1;
        }
        return applied;
    }

    public void Dispose() => _dataSource.Dispose();

    private static void Execute(NpgsqlConnection connection, string sql, params object[] parameters)
    {
        using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }
        command.ExecuteNonQuery();
    }
}

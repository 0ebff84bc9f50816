using Microsoft.Data.Sqlite;

namespace RedEducation.Storage;

/// <summary>
/// Grain states in one SQLite file in WAL mode with synchronous=FULL, so a committed transaction survives a crash or a
/// power cut. One writer connection (SQLite admits one writer at a time anyway); reads use pooled connections.
/// </summary>
public sealed class SqliteStateStore(string path) : IStateStore
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private SqliteConnection? _writer;

    public void Initialize()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _writer = new SqliteConnection(_connectionString);
        _writer.Open();
        Execute(_writer, "PRAGMA journal_mode=WAL;");
        Execute(_writer, "PRAGMA synchronous=FULL;");
        Execute(_writer, """
            CREATE TABLE IF NOT EXISTS grain_state (
                state_name TEXT NOT NULL,
                grain_id   TEXT NOT NULL,
                version    INTEGER NOT NULL,
                payload    TEXT NOT NULL,
                updated_at TEXT NOT NULL,
                PRIMARY KEY (state_name, grain_id)
            ) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS grain_state_by_grain ON grain_state (grain_id, state_name);
            """);
    }

    // A local file read: answering synchronously costs less than going async.
    public ValueTask<StoredState?> ReadAsync(string stateName, string grainId) => ValueTask.FromResult(Read(stateName, grainId));

    private StoredState? Read(string stateName, string grainId)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT payload, version FROM grain_state WHERE state_name = $s AND grain_id = $g";
        command.Parameters.AddWithValue("$s", stateName);
        command.Parameters.AddWithValue("$g", grainId);
        using var reader = command.ExecuteReader();
        return reader.Read() ? new StoredState(reader.GetString(0), reader.GetInt64(1)) : null;
    }

    public ValueTask<IReadOnlyList<string>> ListStateNamesAsync(string grainId, string stateNamePrefix)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT state_name FROM grain_state WHERE grain_id = $g AND substr(state_name, 1, length($p)) = $p ORDER BY updated_at, state_name";
        command.Parameters.AddWithValue("$g", grainId);
        command.Parameters.AddWithValue("$p", stateNamePrefix);
        var names = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            names.Add(reader.GetString(0));
        }
        return ValueTask.FromResult<IReadOnlyList<string>>(names);
    }

    public bool[] Commit(IReadOnlyList<StateWrite> writes)
    {
        var writer = _writer ?? throw new InvalidOperationException("the store is not initialized");
        var applied = new bool[writes.Count];
        using var transaction = writer.BeginTransaction();
        var now = DateTimeOffset.UtcNow.ToString("O");
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            using var command = writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = (write.Json, write.ExpectedVersion) switch
            {
                (null, _) => "DELETE FROM grain_state WHERE state_name = $s AND grain_id = $g AND version = $v",
                (_, 0) => "INSERT INTO grain_state (state_name, grain_id, version, payload, updated_at) VALUES ($s, $g, 1, $p, $t) ON CONFLICT DO NOTHING",
                _ => "UPDATE grain_state SET version = version + 1, payload = $p, updated_at = $t WHERE state_name = $s AND grain_id = $g AND version = $v",
            };
            command.Parameters.AddWithValue("$s", write.StateName);
            command.Parameters.AddWithValue("$g", write.GrainId);
            command.Parameters.AddWithValue("$v", write.ExpectedVersion);
            command.Parameters.AddWithValue("$p", (object?)write.Json ?? DBNull.Value);
            command.Parameters.AddWithValue("$t", now);
            applied[i] = command.ExecuteNonQuery() == 1;
        }
        transaction.Commit();
        return applied;
    }

    public void Dispose() => _writer?.Dispose();

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}

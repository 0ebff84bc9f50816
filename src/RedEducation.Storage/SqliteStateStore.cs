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
            CREATE TABLE IF NOT EXISTS grain_index (
                grain_id TEXT NOT NULL,
                entry    TEXT NOT NULL,
                added_at TEXT NOT NULL,
                PRIMARY KEY (grain_id, entry)
            ) WITHOUT ROWID;
            """);
    }

    // A local file read: answering synchronously costs less than going async.
    public ValueTask<StoredState?> ReadAsync(string stateName, string grainId) => ValueTask.FromResult(Read(stateName, grainId));

    private StoredState? Read(string stateName, string grainId) =>
        Query("SELECT payload, version FROM grain_state WHERE state_name = $s AND grain_id = $g",
            p => p.AddWithValue("$s", stateName), grainId,
            reader => reader.Read() ? new StoredState(reader.GetString(0), reader.GetInt64(1)) : null);

    public ValueTask<IReadOnlyList<string>> ListIndexAsync(string grainId) =>
        ValueTask.FromResult(Query("SELECT entry FROM grain_index WHERE grain_id = $g ORDER BY added_at, entry", _ => { }, grainId,
            reader =>
            {
                var entries = new List<string>();
                while (reader.Read())
                {
                    entries.Add(reader.GetString(0));
                }
                return (IReadOnlyList<string>)entries;
            }));

    /// <summary>A read on a pooled connection of its own (WAL lets reads run beside the writer), by grain id <c>$g</c>.</summary>
    private T Query<T>(string sql, Action<SqliteParameterCollection> bind, string grainId, Func<SqliteDataReader, T> read)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$g", grainId);
        bind(command.Parameters);
        using var reader = command.ExecuteReader();
        return read(reader);
    }

    public bool[] Commit(IReadOnlyList<StateWrite> writes, IReadOnlyList<IndexEntry> entries)
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
        foreach (var entry in entries)
        {
            using var command = writer.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO grain_index (grain_id, entry, added_at) VALUES ($g, $e, $t) ON CONFLICT DO NOTHING";
            command.Parameters.AddWithValue("$g", entry.GrainId);
            command.Parameters.AddWithValue("$e", entry.Entry);
            command.Parameters.AddWithValue("$t", now);
            command.ExecuteNonQuery();
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

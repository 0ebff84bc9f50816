using System.Threading.Channels;
using Npgsql;

namespace RedEducation.Storage;

/// <summary>
/// Grain states in one PostgreSQL table. The application creates and upgrades its own schema (numbered steps recorded
/// in <c>schema_version</c>, applied under an advisory lock so that silos starting together do not race). A commit is
/// one batch of statements in one round trip (a second only to retry after a conflict, or to prepare a statement the
/// first time), which the server runs as one implicit transaction; synchronous_commit is left at the server's setting
/// (on by default), so a commit returns once its WAL is on disk. Every connection, the committing one included, comes
/// from one pool.
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
        """
        CREATE TABLE grain_index (
            grain_id text        NOT NULL,
            entry    text        NOT NULL,
            added_at timestamptz NOT NULL,
            PRIMARY KEY (grain_id, entry)
        )
        """,
        // A busy venue-day's journal segment is 10-20 KB of JSON per commit. By default PostgreSQL compresses a row past
        // 2 KB with pglz and, still past 2 KB, moves it out of line into the TOAST table (a row and an index entry per
        // 2 KB chunk). lz4 compresses several times faster, and a target of 8160 bytes keeps the compressed segment in its
        // row. Measured in the hot venue-day: a few µs less PostgreSQL CPU per booking at 64 in flight, paired-round
        // medians 18.9-24.8x against 16.3-18.3x in 3 interleaved pairs. The price: a row of 2-8 KB (a quiet day's open
        // segment) is no longer compressed at all, a few KB more WAL per commit. Servers built without lz4 keep pglz.
        """
        DO $$
        BEGIN
            IF EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
                ALTER TABLE grain_state ALTER COLUMN payload SET COMPRESSION lz4;
            END IF;
            ALTER TABLE grain_state SET (toast_tuple_target = 8160);
        END
        $$
        """,
    ];

    // One statement per kind of change, whatever the batch size: the rows travel as arrays and are unnested server-side,
    // so PostgreSQL parses and plans three statements instead of one per row. Each
    // statement returns the keys it applied; a write whose version no longer matches simply does not come back.
    // Inserts go first without ON CONFLICT DO NOTHING, which has PostgreSQL look each key up before inserting it (about
    // a sixth of its CPU per booking in the hot venue-day): a row that is already there (a replayed booking, a stale
    // version) is rare, and then the batch, undone by the server as a whole, is sent again with the conflicts skipped.
    private const string InsertManySql = """
        INSERT INTO grain_state (state_name, grain_id, version, payload, updated_at)
        SELECT w.s, w.g, 1, w.p, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS w(s, g, p)
        RETURNING state_name, grain_id
        """;

    private const string InsertManyWhereAbsentSql = """
        INSERT INTO grain_state (state_name, grain_id, version, payload, updated_at)
        SELECT w.s, w.g, 1, w.p, now() FROM unnest($1::text[], $2::text[], $3::text[]) AS w(s, g, p)
        ON CONFLICT DO NOTHING
        RETURNING state_name, grain_id
        """;

    private const string UpdateManySql = """
        UPDATE grain_state AS t SET version = t.version + 1, payload = w.p, updated_at = now()
        FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[]) AS w(s, g, p, v)
        WHERE t.state_name = w.s AND t.grain_id = w.g AND t.version = w.v
        RETURNING t.state_name, t.grain_id
        """;

    private const string IndexManySql = """
        INSERT INTO grain_index (grain_id, entry, added_at)
        SELECT w.g, w.e, now() FROM unnest($1::text[], $2::text[]) AS w(g, e)
        """;

    private const string IndexManyWhereAbsentSql = """
        INSERT INTO grain_index (grain_id, entry, added_at)
        SELECT w.g, w.e, now() FROM unnest($1::text[], $2::text[]) AS w(g, e)
        ON CONFLICT DO NOTHING
        """;

    /// <summary>
    /// The row inserts with the index entries folded in as a data-modifying CTE (entries as $4, $5): one statement fewer
    /// per commit. Measured in the hot venue-day (2 interleaved pairs): paired-round medians at 64 in flight 28.8x and
    /// 27.3x against 19.0x and 17.8x with the entries as a statement of their own, which added ~0.8 ms of wall time per
    /// commit though its own CPU is ~0.2 ms (why a fourth statement costs so much is not understood yet).
    /// </summary>
    private static string WithEntries(string entriesSql, string insertSql) =>
        $"WITH entry AS ({entriesSql.Replace("$1", "$4", StringComparison.Ordinal).Replace("$2", "$5", StringComparison.Ordinal)}) {insertSql}";

    private static readonly string InsertManyWithEntriesSql = WithEntries(IndexManySql, InsertManySql);

    private static readonly string InsertManyWithEntriesWhereAbsentSql = WithEntries(IndexManyWhereAbsentSql, InsertManyWhereAbsentSql);

    private const string DeleteManySql = """
        DELETE FROM grain_state AS t
        USING unnest($1::text[], $2::text[], $3::bigint[]) AS w(s, g, v)
        WHERE t.state_name = w.s AND t.grain_id = w.g AND t.version = w.v
        RETURNING t.state_name, t.grain_id
        """;

    private const string ReadManySql = """
        SELECT w.i, t.payload, t.version
        FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS w(s, g, i)
        CROSS JOIN LATERAL (SELECT payload, version FROM grain_state WHERE state_name = w.s AND grain_id = w.g LIMIT 1) AS t
        """;

    private const int MaxReadBatch = 512;

    /// <summary>
    /// Up to this many rows (writes and index entries), a commit sends one prepared statement per row rather than one
    /// unprepared statement per kind.
    /// </summary>
    private const int FewWrites = 4;

    private const string InsertSql =
        "INSERT INTO grain_state (state_name, grain_id, version, payload, updated_at) VALUES ($1, $2, 1, $3, now()) ON CONFLICT DO NOTHING";

    private const string UpdateSql =
        "UPDATE grain_state SET version = version + 1, payload = $3, updated_at = now() WHERE state_name = $1 AND grain_id = $2 AND version = $4";

    private const string IndexSql =
        "INSERT INTO grain_index (grain_id, entry, added_at) VALUES ($1, $2, now()) ON CONFLICT DO NOTHING";

    private const string ReadOneSql =
        "SELECT 1::bigint, payload, version FROM grain_state WHERE state_name = $1 AND grain_id = $2";

    private const string DeleteSql =
        "DELETE FROM grain_state WHERE state_name = $1 AND grain_id = $2 AND version = $3";

    private readonly NpgsqlDataSource _dataSource;
    private readonly Channel<PendingRead> _reads = Channel.CreateUnbounded<PendingRead>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _readLoop;
    private NpgsqlConnection? _committer;
    private NpgsqlConnection? _readerConnection;

    public PostgresStateStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        // No automatic preparation: a prepared statement soon runs a generic plan, and the one PostgreSQL picks for the
        // many-row (unnest) statements while the table is young (a sequential scan joined by hash to the unnested rows)
        // stays in use as the table grows, until an update of a few rows read every row of the table. Those are sent
        // unprepared, three or four per commit, and planned each time; only the single-row statements on the primary
        // key, whose plan cannot go wrong, are prepared (CommitInOrder, ReadOneSql).
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _readLoop = Task.Run(ReadLoopAsync);
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

    /// <summary>
    /// Reads that arrive together go to the database together, as one statement: a booking rush activates a new booking
    /// grain per request, and each activation reads its (absent) state first.
    /// </summary>
    public ValueTask<StoredState?> ReadAsync(string stateName, string grainId)
    {
        var pending = new PendingRead(stateName, grainId, new TaskCompletionSource<StoredState?>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_reads.Writer.TryWrite(pending), this);
        return new ValueTask<StoredState?>(pending.Done.Task);
    }

    private async Task ReadLoopAsync()
    {
        var batch = new List<PendingRead>(MaxReadBatch);
        while (await _reads.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxReadBatch && _reads.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                var found = await ReadManyAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(found[i]);
                }
            }
#pragma warning disable CA1031 // Whatever went wrong belongs to the callers of this batch; the loop serves the next one.
            catch (Exception e)
#pragma warning restore CA1031
            {
                batch.ForEach(r => r.Done.SetException(e));
            }
        }
    }

    private async Task<StoredState?[]> ReadManyAsync(List<PendingRead> batch)
    {
        // The loop's own connection, kept open like the committer's.
        var connection = _readerConnection ??= await _dataSource.OpenConnectionAsync();
        try
        {
            return await ReadManyAsync(connection, batch);
        }
        catch
        {
            _readerConnection = null;
            await connection.DisposeAsync();
            throw;
        }
    }

    private static async Task<StoredState?[]> ReadManyAsync(NpgsqlConnection connection, List<PendingRead> batch)
    {
        await using var command = new NpgsqlCommand(batch.Count == 1 ? ReadOneSql : ReadManySql, connection);
        if (batch.Count == 1)
        {
            // A lone read, as on a quiet server: prepared, like the commit's few-row statements.
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batch[0].StateName });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = batch[0].GrainId });
            await command.PrepareAsync();
        }
        else
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.StateName)] });
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. batch.Select(r => r.GrainId)] });
        }
        var found = new StoredState?[batch.Count];
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            found[reader.GetInt64(0) - 1] = new StoredState(reader.GetString(1), reader.GetInt64(2));
        }
        return found;
    }

    public async ValueTask<IReadOnlyList<string>> ListIndexAsync(string grainId)
    {
        await using var command = _dataSource.CreateCommand("SELECT entry FROM grain_index WHERE grain_id = $1 ORDER BY added_at, entry");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = grainId });
        var entries = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            entries.Add(reader.GetString(0));
        }
        return entries;
    }

    private sealed record PendingRead(string StateName, string GrainId, TaskCompletionSource<StoredState?> Done);

    /// <summary>
    /// On a connection of its own, kept open between commits (returning it to the pool costs a reset round trip per
    /// commit); one commit at a time, as the grain storage's writer makes them. After a failure the connection is
    /// dropped and the next commit opens another.
    /// </summary>
    public bool[] Commit(IReadOnlyList<StateWrite> writes, IReadOnlyList<IndexEntry> entries)
    {
        var connection = _committer ??= _dataSource.OpenConnection();
        try
        {
            return writes.Count + entries.Count <= FewWrites || HasRepeatedRow(writes)
                ? InTransaction(connection, batch => CommitInOrder(batch, writes, entries))!
                : InTransaction(connection, batch => CommitByKind(batch, writes, entries, skipConflicts: false), rollBackOnConflict: true)
                    ?? InTransaction(connection, batch => CommitByKind(batch, writes, entries, skipConflicts: true))!;
        }
        catch
        {
            _committer = null;
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="send"/> as one transaction: statements sent together in one batch, with no explicit transaction
    /// open, are one implicit transaction on the server, which commits them all at the batch's end or none of them. That
    /// saves the round trip of a separate COMMIT. Returns null when the batch was refused on a key already stored.
    /// </summary>
    private static bool[]? InTransaction(NpgsqlConnection connection, Func<NpgsqlBatch, bool[]> send, bool rollBackOnConflict = false)
    {
        using var batch = new NpgsqlBatch(connection);
        try
        {
            return send(batch);
        }
        catch (PostgresException e) when (rollBackOnConflict && e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return null;
        }
    }

    /// <summary>
    /// Sends every insert, update and delete of the batch as one statement each. Only when no row is written twice: the
    /// three statements do not run in the order the writes were made.
    /// </summary>
    /// <param name="skipConflicts">Inserts skip rows already stored; otherwise such a row fails the transaction.</param>
    private static bool[] CommitByKind(NpgsqlBatch batch, IReadOnlyList<StateWrite> writes, IReadOnlyList<IndexEntry> entries, bool skipConflicts)
    {
        var inserts = writes.Where(w => w.Json is not null && w.ExpectedVersion == 0).ToList();
        var updates = writes.Where(w => w.Json is not null && w.ExpectedVersion != 0).ToList();
        var deletes = writes.Where(w => w.Json is null).ToList();
        // The entries travel with the inserts when there are any (a venue-day's new bookings), else on their own.
        var entriesApart = inserts.Count == 0 && entries.Count > 0;
        if (inserts.Count > 0 && entries.Count > 0)
        {
            var insert = Command(skipConflicts ? InsertManyWithEntriesWhereAbsentSql : InsertManyWithEntriesSql, Keys(inserts), [.. inserts.Select(w => w.Json!)]);
            AddEntries(insert, entries);
            batch.BatchCommands.Add(insert);
        }
        else if (inserts.Count > 0)
        {
            batch.BatchCommands.Add(Command(skipConflicts ? InsertManyWhereAbsentSql : InsertManySql, Keys(inserts), [.. inserts.Select(w => w.Json!)]));
        }
        if (updates.Count > 0)
        {
            batch.BatchCommands.Add(Command(UpdateManySql, Keys(updates), [.. updates.Select(w => w.Json!)], [.. updates.Select(w => w.ExpectedVersion)]));
        }
        if (deletes.Count > 0)
        {
            batch.BatchCommands.Add(Command(DeleteManySql, Keys(deletes), null, [.. deletes.Select(w => w.ExpectedVersion)]));
        }
        if (entriesApart)
        {
            var index = new NpgsqlBatchCommand(skipConflicts ? IndexManyWhereAbsentSql : IndexManySql);
            AddEntries(index, entries);
            batch.BatchCommands.Add(index);
        }
        var done = new HashSet<(string, string)>();
        using (var reader = batch.ExecuteReader())
        {
            do
            {
                while (reader.Read())
                {
                    done.Add((reader.GetString(0), reader.GetString(1)));
                }
            }
            while (reader.NextResult());
        }
        return [.. writes.Select(w => done.Contains((w.StateName, w.GrainId)))];
    }

    private static void AddEntries(NpgsqlBatchCommand command, IReadOnlyList<IndexEntry> entries)
    {
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.GrainId)] });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. entries.Select(e => e.Entry)] });
    }

    private static (string[] StateNames, string[] GrainIds) Keys(List<StateWrite> writes) =>
        ([.. writes.Select(w => w.StateName)], [.. writes.Select(w => w.GrainId)]);

    private static NpgsqlBatchCommand Command(string sql, (string[] StateNames, string[] GrainIds) keys, string[]? payloads, long[]? versions = null)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.StateNames });
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = keys.GrainIds });
        if (payloads is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = payloads });
        }
        if (versions is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = versions });
        }
        return command;
    }

    private static bool HasRepeatedRow(IReadOnlyList<StateWrite> writes)
    {
        var seen = new HashSet<(string, string)>();
        return !writes.All(w => seen.Add((w.StateName, w.GrainId)));
    }

    /// <summary>
    /// One statement per write, in the order made, so two writes to one row behave as if sent one by one; then one per
    /// index entry.
    /// </summary>
    private static bool[] CommitInOrder(NpgsqlBatch batch, IReadOnlyList<StateWrite> writes, IReadOnlyList<IndexEntry> entries)
    {
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
        foreach (var entry in entries)
        {
            var command = new NpgsqlBatchCommand(IndexSql);
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.GrainId });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = entry.Entry });
            batch.BatchCommands.Add(command);
        }
        // Prepared: single-row statements on a primary key plan the same whatever the table's size, and a quiet
        // server's commits are mostly of a few rows, where planning was most of PostgreSQL's work.
        batch.Prepare();
        // One round trip for all statements.
        batch.ExecuteNonQuery();
        var applied = new bool[writes.Count];
        for (var i = 0; i < applied.Length; i++)
        {
            applied[i] = batch.BatchCommands[i].RecordsAffected == 1;
        }
        return applied;
    }

    public void Dispose()
    {
        _reads.Writer.TryComplete();
        _readLoop.Wait(TimeSpan.FromSeconds(10));
        _committer?.Dispose();
        _readerConnection?.Dispose();
        _dataSource.Dispose();
    }

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

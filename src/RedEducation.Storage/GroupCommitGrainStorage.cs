using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace RedEducation.Storage;

/// <summary>
/// Orleans grain storage over an <see cref="IStateStore"/>. Writes from all grains are queued and committed together:
/// every write that arrives while a transaction is on its way to disk goes into the next one (group commit), so one
/// fsync serves many grains. A write is acknowledged only after its transaction committed. The ETag is the row version;
/// a stale ETag raises <see cref="InconsistentStateException"/>.
/// </summary>
public sealed partial class GroupCommitGrainStorage : IGrainStorage, IGrainRows, IDisposable
{
    private const int MaxBatch = 1024;
    private readonly IStateStore _store;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger<GroupCommitGrainStorage> _logger;
    // Not a Channel: a reader waiting on a channel is woken by a work item queued to the thread pool, which at load waits
    // behind the grains' own work (0.4 ms per commit at 64 in flight, 1.5 ms at 256). The writer thread blocks here and is
    // woken directly by the write that arrives.
    private readonly BlockingCollection<PendingWrite> _queue = new(new ConcurrentQueue<PendingWrite>());
    private readonly Thread _writer;

    public GroupCommitGrainStorage(IStateStore store, JsonSerializerOptions json, ILogger<GroupCommitGrainStorage> logger)
    {
        _store = store;
        _json = json;
        _logger = logger;
        _store.Initialize();
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "grain-storage-writer" };
        _writer.Start();
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await _store.ReadAsync(stateName, grainId.ToString());
        if (stored is null)
        {
            grainState.RecordExists = false;
            grainState.ETag = null;
            return;
        }
        grainState.State = JsonSerializer.Deserialize<T>(stored.Json, _json) ?? throw new InvalidOperationException($"stored state {stateName} of {grainId} is null");
        grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        WriteStateAsync(stateName, grainId, grainState, Alongside.Nothing);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, Alongside alongside)
    {
        // Serialize now, inside the grain's turn: the stored snapshot is the state as it is at this call.
        var json = JsonSerializer.Serialize(grainState.State, _json);
        var expected = ExpectedVersion(grainState.ETag);
        await Enqueue(
            [new StateWrite(stateName, grainId.ToString(), json, expected), .. alongside.Rows.Select(Insert)],
            [.. alongside.Entries.Select(e => new IndexEntry(e.Grain.ToString(), e.Entry))],
            grainState.ETag);
        grainState.ETag = (expected + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public Task AddToIndexAsync(GrainIndexEntry entry) =>
        Enqueue([], [new IndexEntry(entry.Grain.ToString(), entry.Entry)], null);

    public async Task<IReadOnlyList<string>> ListIndexAsync(GrainId grain) => await _store.ListIndexAsync(grain.ToString());

    /// <summary>A row's first version: applied only where no row is stored, so a row already there stays as it is.</summary>
    private StateWrite Insert(GrainRow row) =>
        new(row.StateName, row.GrainId.ToString(), JsonSerializer.Serialize(row.State, row.State.GetType(), _json), 0);

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is null)
        {
            return;
        }
        await Enqueue([new StateWrite(stateName, grainId.ToString(), null, ExpectedVersion(grainState.ETag))], [], grainState.ETag);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        _writer.Join(TimeSpan.FromSeconds(10));
        _store.Dispose();
    }

    /// <summary>
    /// Queues <paramref name="writes"/> and <paramref name="entries"/> as one group: they go into the same transaction.
    /// Throws when the first write's version check failed; the other writes are inserts-if-absent, whose outcome is
    /// theirs alone.
    /// </summary>
    private async Task Enqueue(StateWrite[] writes, IndexEntry[] entries, string? etag)
    {
        var pending = new PendingWrite(writes, entries, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        try
        {
            _queue.Add(pending);
        }
        catch (InvalidOperationException) when (_queue.IsAddingCompleted)
        {
            throw new ObjectDisposedException(nameof(GroupCommitGrainStorage));
        }
        if (!await pending.Done.Task)
        {
            throw new InconsistentStateException($"state {writes[0].StateName} of {writes[0].GrainId} changed since it was read", "unknown", etag ?? "none");
        }
    }

    private static long ExpectedVersion(string? etag) =>
        etag is null ? 0 : long.Parse(etag, NumberStyles.None, CultureInfo.InvariantCulture);

    private void WriteLoop()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        // Returns false once the queue is completed and empty.
        while (_queue.TryTake(out var oldest, Timeout.Infinite))
        {
            batch.Clear();
            batch.Add(oldest);
            var writes = oldest.Writes.Length + oldest.Entries.Length;
            // A group is never split: it goes whole into this transaction, even past MaxBatch.
            while (writes < MaxBatch && _queue.TryTake(out var next))
            {
                batch.Add(next);
                writes += next.Writes.Length + next.Entries.Length;
            }
            try
            {
                var applied = _store.Commit([.. batch.SelectMany(p => p.Writes)], [.. batch.SelectMany(p => p.Entries)]);
                var first = 0;
                foreach (var pending in batch)
                {
                    // A group of index entries alone has nothing that can fail.
                    pending.Done.TrySetResult(pending.Writes.Length == 0 || applied[first]);
                    first += pending.Writes.Length;
                }
            }
            catch (Exception e)
            {
                LogCommitFailed(_logger, e, writes);
                // Try: were a store to fail after some writes were answered, those keep their answer and the writer thread
                // lives on.
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} grain state writes failed")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);

    private sealed record PendingWrite(StateWrite[] Writes, IndexEntry[] Entries, TaskCompletionSource<bool> Done);
}

using System.Globalization;
using System.Text.Json;
using System.Threading.Channels;
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
public sealed partial class GroupCommitGrainStorage : IGrainStorage, IDisposable
{
    private const int MaxBatch = 1024;
    private readonly IStateStore _store;
    private readonly JsonSerializerOptions _json;
    private readonly ILogger<GroupCommitGrainStorage> _logger;
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
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

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Serialize now, inside the grain's turn: the stored snapshot is the state as it is at this call.
        var json = JsonSerializer.Serialize(grainState.State, _json);
        var expected = ExpectedVersion(grainState.ETag);
        await Enqueue(new StateWrite(stateName, grainId.ToString(), json, expected), grainState.ETag);
        grainState.ETag = (expected + 1).ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is null)
        {
            return;
        }
        await Enqueue(new StateWrite(stateName, grainId.ToString(), null, ExpectedVersion(grainState.ETag)), grainState.ETag);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _writer.Join(TimeSpan.FromSeconds(10));
        _store.Dispose();
    }

    private async Task Enqueue(StateWrite write, string? etag)
    {
        var pending = new PendingWrite(write, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(pending), this);
        if (!await pending.Done.Task)
        {
            throw new InconsistentStateException($"state {write.StateName} of {write.GrainId} changed since it was read", "unknown", etag ?? "none");
        }
    }

    private static long ExpectedVersion(string? etag) =>
        etag is null ? 0 : long.Parse(etag, NumberStyles.None, CultureInfo.InvariantCulture);

    private void WriteLoop()
    {
        var batch = new List<PendingWrite>(MaxBatch);
        var reader = _queue.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                batch.Add(next);
            }
            try
            {
                var applied = _store.Commit([.. batch.Select(p => p.Write)]);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(applied[i]);
                }
            }
            catch (Exception e)
            {
                LogCommitFailed(_logger, e, batch.Count);
                foreach (var pending in batch)
                {
                    pending.Done.SetException(e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} grain state writes failed")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);

    private sealed record PendingWrite(StateWrite Write, TaskCompletionSource<bool> Done);
}

using System.Text.Json;
using Orleans.Storage;

namespace RedEducation.Grains;

/// <summary>
/// A reentrant grain's state kept as a journal, for state that grows all day, such as a venue-day's placements or
/// check-ins: the grain keeps its state in memory and records each change as an event; a write stores only the open
/// segment of the journal (fewer than <see cref="SegmentEvents"/> events plus what one commit adds), never the whole
/// state, so a commit costs the same at the first scan of the day as at the ten-thousandth. Segments are rows
/// "{name}/000000", "{name}/000001", ... of the grain's storage; a full segment is never written again. Activation
/// replays them in order.
/// <para>
/// Group commit, pipelined: changes made while a write is on its way to disk are stored together by the next write, which
/// is queued at once with the storage (<see cref="IGrainRows.WriteWhenTakenAsync"/>) and built only when the storage's
/// writer takes it, the moment the previous write is done. The writer goes straight from one commit to the next, and
/// the next holds every change made until then. Callers append with no await between deciding and appending, and await
/// <see cref="DurableAsync"/> before answering. A write is built only once its predecessor is done: if that one failed,
/// the write is withdrawn unbuilt, <c>deactivate</c> is called (the grain deactivates to reload what is stored) and the
/// journal refuses further use.
/// </para>
/// <para>
/// Events, and the rows beside them, are serialized as they are appended, in the grain's turn: the storage's writer
/// thread, which every commit waits for, only joins them.
/// </para>
/// </summary>
internal sealed class DurableJournal<TEvent>(IGrainStorage storage, string name, GrainId grainId, Action deactivate)
    where TEvent : class
{
    /// <summary>
    /// Small enough that rewriting the open segment stays cheap (with SQLite, 128 events of ~430 bytes cost ~450 µs of
    /// CPU per commit, 32 events ~200 µs; from 32 to 8, check-ins at 8 in flight took 73 → 53-60 µs of the storage
    /// writer's CPU and 3-4 KB less allocation each), large enough that activation reads a busy day (30,000 scans)
    /// back in ~3,750 rows.
    /// </summary>
    internal const int SegmentEvents = 8;

    private readonly IGrainRows _rows = storage as IGrainRows
        ?? throw new NotSupportedException($"{storage.GetType().Name} cannot build a write when it is taken");

    // The grain's turns append and wait; the storage's writer thread builds writes. Everything below is shared by both.
    private readonly Lock _gate = new();
    /// <summary>The open segment's events, as JSON.</summary>
    private readonly List<string> _open = [];
    private readonly List<SerializedRow> _beside = [];
    private readonly List<GrainIndexEntry> _entries = [];
    private int _segment;
    private string? _etag;

    /// <summary>Counts the changes appended; a write covers those counted when it was built.</summary>
    private long _changes;

    /// <summary>Changes covered by a write known to be stored.</summary>
    private long _durable;

    /// <summary>The write queued with the storage and not built yet: it will cover whatever is appended until then.</summary>
    private Write? _queued;

    /// <summary>The last write built: on its way, or done and not yet followed by another.</summary>
    private Write? _built;

    private bool _broken;
    private bool _deactivated;

    /// <summary>Reads every segment in order and hands each stored event to <paramref name="replay"/>.</summary>
    public async Task LoadAsync(Action<TEvent> replay)
    {
        for (var segment = 0; ; segment++)
        {
            var stored = new GrainState<List<TEvent>>(new List<TEvent>());
            await storage.ReadStateAsync(SegmentName(segment), grainId, stored);
            if (!stored.RecordExists)
            {
                return;
            }
            var events = stored.State ?? [];
            events.ForEach(replay);
            lock (_gate)
            {
                (_segment, _etag) = (segment, stored.ETag);
                _open.Clear();
                _open.AddRange(events.Select(Serialize));
                if (_open.Count >= SegmentEvents)
                {
                    (_segment, _etag) = (segment + 1, null);
                    _open.Clear();
                }
            }
        }
    }

    /// <summary>Throws once a write has failed; the grain is on its way out and must not decide anything more.</summary>
    public void EnsureUsable()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_broken, this);
        }
    }

    public void Append(TEvent change) => Append(change, Alongside.Nothing);

    /// <summary>
    /// Appends <paramref name="change"/> and has <paramref name="alongside"/> (rows of other grains and index entries,
    /// stored where absent) stored by the same write, in the same transaction.
    /// </summary>
    public void Append(TEvent change, Alongside alongside)
    {
        var json = Serialize(change);
        List<SerializedRow> beside = alongside.Rows.Count == 0
            ? []
            : [.. alongside.Rows.Select(r => new SerializedRow(r.StateName, r.GrainId, JsonSerializer.Serialize(r.State, r.State.GetType(), _rows.JsonOptions)))];
        lock (_gate)
        {
            _open.Add(json);
            _beside.AddRange(beside);
            _entries.AddRange(alongside.Entries);
            _changes++;
        }
    }

    /// <summary>
    /// Returns once every event appended before the call is stored, queuing a write when none will cover them. Once a
    /// write has failed, throws instead: the failed write's changes are still in memory, and a later write (for a request
    /// that had passed <see cref="EnsureUsable"/> before the failure) would store them without whatever was to be stored
    /// beside them.
    /// </summary>
    public async Task DurableAsync()
    {
        Write write;
        lock (_gate)
        {
            if (_changes <= _durable)
            {
                return;
            }
            ObjectDisposedException.ThrowIf(_broken, this);
            write = _built is { } built && built.Covered >= _changes ? built : _queued ?? Queue();
        }
        try
        {
            await write.Stored;
        }
        catch
        {
            Break();
            throw;
        }
        lock (_gate)
        {
            _durable = Math.Max(_durable, write.Covered);
        }
    }

    /// <summary>
    /// Under the lock, which the build takes too: recorded as queued before the storage can build it. The storage only
    /// adds the write to its queue (unbounded, so this never waits for the writer, which may be waiting for the lock).
    /// </summary>
    private Write Queue()
    {
        var write = new Write();
        _queued = write;
        try
        {
            write.Stored = _rows.WriteWhenTakenAsync(grainId, () => Build(write));
        }
        catch
        {
            _queued = null;
            throw;
        }
        return write;
    }

    /// <summary>On the storage's writer thread, once the previous write is done: the open segment and what goes beside it.</summary>
    private LateWrite Build(Write write)
    {
        lock (_gate)
        {
            if (_queued == write)
            {
                _queued = null;
            }
            if (_built is { } previous)
            {
                if (!previous.Stored.IsCompleted)
                {
                    throw new InvalidOperationException("the storage built a journal write before the previous one was done");
                }
                if (!previous.Stored.IsCompletedSuccessfully)
                {
                    _broken = true;
                }
                else
                {
                    _durable = Math.Max(_durable, previous.Covered);
                    (_segment, _etag) = previous.Events >= SegmentEvents
                        // The segment is full and stored: later events start the next one.
                        ? (_segment + 1, null)
                        : (_segment, previous.Stored.Result);
                    if (previous.Events >= SegmentEvents)
                    {
                        _open.RemoveRange(0, previous.Events);
                    }
                    _built = null;
                }
            }
            ObjectDisposedException.ThrowIf(_broken, this);
            (write.Covered, write.Events, _built) = (_changes, _open.Count, write);
            var late = new LateWrite(SegmentName(_segment), JsonArray(_open), _etag, [.. _beside], [.. _entries]);
            _beside.Clear();
            _entries.Clear();
            return late;
        }
    }

    private void Break()
    {
        lock (_gate)
        {
            _broken = true;
            if (_deactivated)
            {
                return;
            }
            _deactivated = true;
        }
        deactivate();
    }

    /// <summary>The JSON array of <paramref name="items"/> (each JSON already), built in one allocation.</summary>
    private static string JsonArray(List<string> items) =>
        string.Create(items.Sum(i => i.Length) + Math.Max(items.Count - 1, 0) + 2, items, static (text, items) =>
        {
            text[0] = '[';
            var at = 1;
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0)
                {
                    text[at++] = ',';
                }
                items[i].CopyTo(text[at..]);
                at += items[i].Length;
            }
            text[at] = ']';
        });

    private string Serialize(TEvent change) => JsonSerializer.Serialize(change, _rows.JsonOptions);

    private string SegmentName(int segment) => $"{name}/{segment:D6}";

    private sealed class Write
    {
        /// <summary>Completes with the segment's new ETag once stored.</summary>
        public Task<string> Stored { get; set; } = null!;

        /// <summary>How many changes had been appended when it was built.</summary>
        public long Covered { get; set; }

        /// <summary>How many events its segment holds.</summary>
        public int Events { get; set; }
    }
}

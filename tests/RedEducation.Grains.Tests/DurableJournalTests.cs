using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime;
using Orleans.Storage;
using RedEducation.Storage;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

public sealed class DurableJournalTests
{
    private static readonly GrainId Id = GrainId.Create("test", "journal");

    [Fact]
    public async Task DurableAsync_EventsAppendedWhileAFullSegmentIsWritten_GoToTheNextSegment()
    {
        var storage = new PausableStorage();
        var journal = new DurableJournal<string>(storage, "j", Id, () => { });
        var first = Events(0, DurableJournal<string>.SegmentEvents + 2);
        first.ForEach(journal.Append);

        storage.Pause();
        var writing = journal.DurableAsync();
        var during = Events(first.Count, 5);
        during.ForEach(journal.Append);
        var waiting = journal.DurableAsync();
        storage.Resume();
        await Task.WhenAll(writing, waiting);

        Assert.Equal(first, storage.Segment("j/000000"));
        Assert.Equal(during, storage.Segment("j/000001"));
        Assert.Equal([.. first, .. during], await ReplayAsync(storage));
    }

    [Fact]
    public async Task LoadAsync_PartlyFilledLastSegment_LaterEventsAreAddedToIt()
    {
        var storage = new PausableStorage();
        var before = new DurableJournal<string>(storage, "j", Id, () => { });
        // One full segment and half of the next.
        var events = Events(0, DurableJournal<string>.SegmentEvents + DurableJournal<string>.SegmentEvents / 2);
        foreach (var e in events)
        {
            before.Append(e);
            await before.DurableAsync();
        }

        var after = new DurableJournal<string>(storage, "j", Id, () => { });
        var replayed = new List<string>();
        await after.LoadAsync(replayed.Add);
        after.Append("later");
        await after.DurableAsync();

        Assert.Equal(events, replayed);
        Assert.Equal([.. events[DurableJournal<string>.SegmentEvents..], "later"], storage.Segment("j/000001"));
        Assert.Equal([.. events, "later"], await ReplayAsync(storage));
    }

    [Fact]
    public async Task DurableAsync_WriteFails_DeactivatesAndRefusesFurtherUse()
    {
        var storage = new PausableStorage { Fail = true };
        var deactivated = false;
        var journal = new DurableJournal<string>(storage, "j", Id, () => deactivated = true);
        journal.Append("a");

        await Assert.ThrowsAsync<InvalidOperationException>(journal.DurableAsync);

        Assert.True(deactivated);
        Assert.Throws<ObjectDisposedException>(journal.EnsureUsable);
    }

    [Fact]
    public async Task DurableAsync_ChangeAppendedAfterAFailedWrite_IsNeverWritten()
    {
        var storage = new PausableStorage { Fail = true };
        var journal = new DurableJournal<string>(storage, "j", Id, () => { });
        journal.Append("placed");
        await Assert.ThrowsAsync<InvalidOperationException>(journal.DurableAsync);

        // The store is back, and a request that passed its check before the failure appends and waits: writing now would
        // store "placed" as well, without what was to be stored beside it.
        storage.Fail = false;
        journal.Append("later");

        await Assert.ThrowsAsync<ObjectDisposedException>(journal.DurableAsync);
        Assert.Empty(await ReplayAsync(storage));
    }

    [Fact]
    public async Task DurableAsync_ChangesAppendedWhileAWriteIsOnItsWay_OneWriteQueuedAtOnceCoversThemAll()
    {
        var storage = new PausableStorage();
        var journal = new DurableJournal<string>(storage, "j", Id, () => { });
        journal.Append("a");
        storage.Pause();
        var first = journal.DurableAsync();
        journal.Append("b");
        var second = journal.DurableAsync();
        journal.Append("c");
        var third = journal.DurableAsync();

        // The write for "b" is with the storage before the first is done, so the storage need not wait for the grain to get
        // round to it; it is built only when taken, so it holds "c" as well.
        Assert.Equal(2, storage.WritesQueued);
        Assert.Equal(1, storage.WritesBuilt);
        storage.Resume();
        await Task.WhenAll(first, second, third);

        Assert.Equal(2, storage.WritesBuilt);
        Assert.Equal(["a", "b", "c"], storage.Segment("j/000000"));
        Assert.Equal(["a", "b", "c"], await ReplayAsync(storage));
    }

    [Fact]
    public async Task DurableAsync_WriteFailsWithAnotherQueuedBehindIt_TheOtherIsWithdrawnUnbuilt()
    {
        // Only the first write fails: were the second not withdrawn, it would be stored.
        var storage = new PausableStorage { FailNext = true };
        var deactivations = 0;
        var journal = new DurableJournal<string>(storage, "j", Id, () => deactivations++);
        journal.Append("placed");
        storage.Pause();
        var first = journal.DurableAsync();
        journal.Append("decided while the first was on its way");
        var second = journal.DurableAsync();

        storage.Resume();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => second);
        Assert.Equal(1, storage.WritesBuilt);
        Assert.Equal(1, deactivations);
        Assert.Empty(await ReplayAsync(storage));
    }

    [Fact]
    public async Task DurableAsync_CallersAppendingWhileWritesAreOnTheirWayOnTheRealStorage_EveryEventIsStoredOnceInOrder()
    {
        using var data = new TempDirectory();
        var path = Path.Combine(data.Path, "grains.db");
        var writesBuilt = 0;
        var events = Events(0, 600);
        using (var storage = new CountingStorage(new GroupCommitGrainStorage(new SqliteStateStore(path), JsonSerializerOptions.Default, NullLogger<GroupCommitGrainStorage>.Instance)))
        {
            var journal = new DurableJournal<string>(storage, "j", Id, () => { });
            var acknowledged = new List<Task>();
            // Callers arrive in bursts of 1 to 12, some while a write is on its way, as at a busy venue-day.
            var random = new Random(6);
            for (var i = 0; i < events.Count;)
            {
                for (var burst = random.Next(1, 13); burst > 0 && i < events.Count; burst--, i++)
                {
                    journal.Append(events[i]);
                    acknowledged.Add(journal.DurableAsync());
                }
                await Task.Delay(random.Next(0, 2), TestContext.Current.CancellationToken);
            }
            await Task.WhenAll(acknowledged);
            writesBuilt = storage.Builds;
        }

        using var reopened = new GroupCommitGrainStorage(new SqliteStateStore(path), JsonSerializerOptions.Default, NullLogger<GroupCommitGrainStorage>.Instance);
        Assert.Equal(events, await ReplayAsync(reopened));
        // Fewer writes than events (grouped), and more than one (the bursts did not all land in one).
        Assert.InRange(writesBuilt, 2, events.Count - 1);
    }

    /// <summary>The project's grain storage, counting the late writes it builds.</summary>
    private sealed class CountingStorage(GroupCommitGrainStorage inner) : IGrainStorage, IGrainRows, IDisposable
    {
        private int _builds;

        public int Builds => Volatile.Read(ref _builds);

        public Task<string> WriteWhenTakenAsync(GrainId grainId, Func<LateWrite> build) =>
            inner.WriteWhenTakenAsync(grainId, () =>
            {
                Interlocked.Increment(ref _builds);
                return build();
            });

        public JsonSerializerOptions JsonOptions => inner.JsonOptions;

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ReadStateAsync(stateName, grainId, grainState);

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.WriteStateAsync(stateName, grainId, grainState);

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => inner.ClearStateAsync(stateName, grainId, grainState);

        public Task AddToIndexAsync(GrainIndexEntry entry) => inner.AddToIndexAsync(entry);

        public Task<IReadOnlyList<string>> ListIndexAsync(GrainId grain) => inner.ListIndexAsync(grain);

        public void Dispose() => inner.Dispose();
    }

    private static List<string> Events(int from, int count) => [.. Enumerable.Range(from, count).Select(i => $"e{i}")];

    private static async Task<List<string>> ReplayAsync(IGrainStorage storage)
    {
        var replayed = new List<string>();
        await new DurableJournal<string>(storage, "j", Id, () => { }).LoadAsync(replayed.Add);
        return replayed;
    }

    /// <summary>
    /// Grain storage in memory with versioned ETags, taking late writes one at a time in the order queued; writes can be
    /// held back to interleave appends with them.
    /// </summary>
    private sealed class PausableStorage : IGrainStorage, IGrainRows
    {
        private readonly Dictionary<string, (List<string> Events, int Version)> _rows = [];
        private TaskCompletionSource _gate = Open();
        private Task _taken = Task.CompletedTask;

        public bool Fail { get; set; }

        /// <summary>Fails the next write only.</summary>
        public bool FailNext { get; set; }

        public int WritesQueued { get; private set; }

        public int WritesBuilt { get; private set; }

        public void Pause() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Resume() => _gate.SetResult();

        public List<string> Segment(string name) => _rows[name].Events;

        public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            grainState.RecordExists = _rows.TryGetValue(stateName, out var row);
            if (grainState.RecordExists)
            {
                grainState.State = (T)(object)new List<string>(row.Events);
                grainState.ETag = row.Version.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
            return Task.CompletedTask;
        }

        public Task<string> WriteWhenTakenAsync(GrainId grainId, Func<LateWrite> build)
        {
            WritesQueued++;
            var done = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            _taken = TakeAsync(_taken, build, done);
            return done.Task;
        }

        private async Task TakeAsync(Task previous, Func<LateWrite> build, TaskCompletionSource<string> done)
        {
            await previous;
            try
            {
                var write = build();
                WritesBuilt++;
                await _gate.Task;
                if (Fail || FailNext)
                {
                    FailNext = false;
                    throw new InvalidOperationException("disk full");
                }
                var version = _rows.TryGetValue(write.StateName, out var row) ? row.Version : 0;
                if (write.ETag != (version == 0 ? null : version.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                {
                    throw new InconsistentStateException("stale ETag");
                }
                _rows[write.StateName] = (JsonSerializer.Deserialize<List<string>>(write.Json)!, version + 1);
                done.SetResult((version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            catch (Exception e)
            {
                done.SetException(e);
            }
        }

        public JsonSerializerOptions JsonOptions => JsonSerializerOptions.Default;

        public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();

        public Task AddToIndexAsync(GrainIndexEntry entry) => throw new NotSupportedException();

        public Task<IReadOnlyList<string>> ListIndexAsync(GrainId grain) => throw new NotSupportedException();

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource();
            open.SetResult();
            return open;
        }
    }
}

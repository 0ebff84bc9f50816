using Orleans.Runtime;
using Orleans.Storage;

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
    public async Task DurableAsync_ChangeAppendedWhileAWriteIsOnItsWay_WrittenAsSoonAsThatWriteIsDone()
    {
        var storage = new PausableStorage();
        var journal = new DurableJournal<string>(storage, "j", Id, () => { });
        journal.Append("a");
        storage.Pause();
        var first = journal.DurableAsync();
        journal.Append("b");

        storage.Resume();
        await first;

        // The second write started when the first was done, before the first one's caller was answered: the store does
        // not wait for the grain to get round to it.
        Assert.Equal(2, storage.WritesStarted);
        await journal.DurableAsync();
        Assert.Equal(2, storage.WritesStarted);
        Assert.Equal(["a", "b"], await ReplayAsync(storage));
    }

    private static List<string> Events(int from, int count) => [.. Enumerable.Range(from, count).Select(i => $"e{i}")];

    private static async Task<List<string>> ReplayAsync(IGrainStorage storage)
    {
        var replayed = new List<string>();
        await new DurableJournal<string>(storage, "j", Id, () => { }).LoadAsync(replayed.Add);
        return replayed;
    }

    /// <summary>Grain storage in memory with versioned ETags; writes can be held back to interleave appends with them.</summary>
    private sealed class PausableStorage : IGrainStorage
    {
        private readonly Dictionary<string, (List<string> Events, int Version)> _rows = [];
        private TaskCompletionSource _gate = Open();

        public bool Fail { get; set; }

        public int WritesStarted { get; private set; }

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

        public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        {
            var events = new List<string>((List<string>)(object)grainState.State!);
            WritesStarted++;
            await _gate.Task;
            if (Fail)
            {
                throw new InvalidOperationException("disk full");
            }
            var version = _rows.TryGetValue(stateName, out var row) ? row.Version : 0;
            if (grainState.ETag != (version == 0 ? null : version.ToString(System.Globalization.CultureInfo.InvariantCulture)))
            {
                throw new InconsistentStateException("stale ETag");
            }
            _rows[stateName] = (events, version + 1);
            grainState.ETag = (version + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => throw new NotSupportedException();

        private static TaskCompletionSource Open()
        {
            var open = new TaskCompletionSource();
            open.SetResult();
            return open;
        }
    }
}

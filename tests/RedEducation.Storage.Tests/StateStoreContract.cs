using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace RedEducation.Storage.Tests;

/// <summary>
/// What every <see cref="IStateStore"/> promises, run once per database engine by the concrete classes. Each test
/// works on a database of its own.
/// </summary>
public abstract class StateStoreContract
{
    private const string State = "counter";

    /// <summary>A new, initialized store instance on this test's database (every call: the same database).</summary>
    protected abstract IStateStore OpenStore();

    [Fact]
    public async Task ReadAsync_NothingStored_ReturnsNull()
    {
        using var store = OpenStore();

        Assert.Null(await store.ReadAsync(State, "missing"));
    }

    [Fact]
    public async Task Commit_NewRow_IsReadBackAtVersionOne()
    {
        using var store = OpenStore();

        var applied = store.Commit([new StateWrite(State, "a", """{"v":1}""", 0)]);

        Assert.Equal([true], applied);
        Assert.Equal(new StoredState("""{"v":1}""", 1), await store.ReadAsync(State, "a"));
    }

    [Fact]
    public async Task Commit_UpdateAtCurrentVersion_AppliesAndBumpsVersion()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "a", """{"v":1}""", 0)]);

        var applied = store.Commit([new StateWrite(State, "a", """{"v":2}""", 1)]);

        Assert.Equal([true], applied);
        Assert.Equal(new StoredState("""{"v":2}""", 2), await store.ReadAsync(State, "a"));
    }

    [Fact]
    public async Task Commit_UpdateAtStaleVersion_IsNotApplied()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "a", """{"v":1}""", 0)]);
        store.Commit([new StateWrite(State, "a", """{"v":2}""", 1)]);

        var applied = store.Commit([new StateWrite(State, "a", """{"v":"stale"}""", 1)]);

        Assert.Equal([false], applied);
        Assert.Equal(new StoredState("""{"v":2}""", 2), await store.ReadAsync(State, "a"));
    }

    [Fact]
    public async Task Commit_InsertOverAnExistingRow_IsNotApplied()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "a", """{"v":1}""", 0)]);

        var applied = store.Commit([new StateWrite(State, "a", """{"v":"second insert"}""", 0)]);

        Assert.Equal([false], applied);
        Assert.Equal(new StoredState("""{"v":1}""", 1), await store.ReadAsync(State, "a"));
    }

    [Fact]
    public async Task Commit_DeleteAtCurrentVersion_RemovesTheRow()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "a", """{"v":1}""", 0)]);

        var applied = store.Commit([new StateWrite(State, "a", null, 1)]);

        Assert.Equal([true], applied);
        Assert.Null(await store.ReadAsync(State, "a"));
    }

    [Fact]
    public async Task Commit_DeleteAtStaleVersion_KeepsTheRow()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "a", """{"v":1}""", 0)]);
        store.Commit([new StateWrite(State, "a", """{"v":2}""", 1)]);

        var applied = store.Commit([new StateWrite(State, "a", null, 1)]);

        Assert.Equal([false], applied);
        Assert.Equal(new StoredState("""{"v":2}""", 2), await store.ReadAsync(State, "a"));
    }

    [Fact]
    public async Task Commit_BatchWithSomeConflicts_AppliesTheOthersAndReportsEach()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "kept", """{"v":1}""", 0), new StateWrite(State, "updated", """{"v":1}""", 0), new StateWrite(State, "deleted", """{"v":1}""", 0)]);

        var applied = store.Commit(
        [
            new StateWrite(State, "new", """{"v":1}""", 0),
            new StateWrite(State, "kept", """{"v":"stale"}""", 5),
            new StateWrite(State, "updated", """{"v":2}""", 1),
            new StateWrite(State, "kept", """{"v":"insert over existing"}""", 0),
            new StateWrite(State, "deleted", null, 1),
            new StateWrite(State, "never-stored", null, 1),
        ]);

        Assert.Equal([true, false, true, false, true, false], applied);
        Assert.Equal(new StoredState("""{"v":1}""", 1), await store.ReadAsync(State, "new"));
        Assert.Equal(new StoredState("""{"v":1}""", 1), await store.ReadAsync(State, "kept"));
        Assert.Equal(new StoredState("""{"v":2}""", 2), await store.ReadAsync(State, "updated"));
        Assert.Null(await store.ReadAsync(State, "deleted"));
        Assert.Null(await store.ReadAsync(State, "never-stored"));
    }

    [Fact]
    public async Task Commit_DistinctRowsWithSomeConflicts_AppliesTheOthersAndReportsEachInPlace()
    {
        using var store = OpenStore();
        store.Commit([.. Enumerable.Range(0, 6).Select(i => new StateWrite(State, $"row-{i}", "{\"v\":1}", 0))]);

        // Every row once, the kinds interleaved, so that the answers must be matched back to the writes by row.
        var applied = store.Commit(
        [
            new StateWrite(State, "row-0", null, 1),
            new StateWrite(State, "new-a", "{\"v\":1}", 0),
            new StateWrite(State, "row-1", "{\"v\":\"stale\"}", 7),
            new StateWrite(State, "row-2", "{\"v\":2}", 1),
            new StateWrite(State, "row-3", "{\"v\":\"insert over existing\"}", 0),
            new StateWrite(State, "row-4", null, 3),
            new StateWrite(State, "new-b", "{\"v\":1}", 0),
            new StateWrite(State, "row-5", "{\"v\":2}", 1),
        ]);

        Assert.Equal([true, true, false, true, false, false, true, true], applied);
        Assert.Null(await store.ReadAsync(State, "row-0"));
        Assert.Equal(new StoredState("{\"v\":1}", 1), await store.ReadAsync(State, "new-a"));
        Assert.Equal(new StoredState("{\"v\":1}", 1), await store.ReadAsync(State, "row-1"));
        Assert.Equal(new StoredState("{\"v\":2}", 2), await store.ReadAsync(State, "row-2"));
        Assert.Equal(new StoredState("{\"v\":1}", 1), await store.ReadAsync(State, "row-3"));
        Assert.Equal(new StoredState("{\"v\":1}", 1), await store.ReadAsync(State, "row-4"));
        Assert.Equal(new StoredState("{\"v\":1}", 1), await store.ReadAsync(State, "new-b"));
        Assert.Equal(new StoredState("{\"v\":2}", 2), await store.ReadAsync(State, "row-5"));
    }

    [Fact]
    public async Task ReadAsync_HundredsAtOnce_EachGetsItsOwnRowOrNull()
    {
        using var store = OpenStore();
        store.Commit([.. Enumerable.Range(0, 300).Where(i => i % 3 != 0).Select(i => new StateWrite(State, $"r{i}", $"{{\"v\":{i}}}", 0))]);

        // Some keys asked twice in the same burst; every third key was never stored.
        var keys = Enumerable.Range(0, 300).Concat(Enumerable.Range(0, 300).Where(i => i % 7 == 0)).ToList();
        var read = await Task.WhenAll(keys.Select(i => store.ReadAsync(State, $"r{i}").AsTask()));

        for (var k = 0; k < keys.Count; k++)
        {
            var i = keys[k];
            Assert.Equal(i % 3 == 0 ? null : new StoredState($"{{\"v\":{i}}}", 1), read[k]);
        }
    }

    [Fact]
    public async Task Commit_TwoWritesToOneRowInABatch_ApplyInOrder()
    {
        using var store = OpenStore();

        var applied = store.Commit([new StateWrite(State, "a", """{"v":1}""", 0), new StateWrite(State, "a", """{"v":2}""", 1)]);

        Assert.Equal([true, true], applied);
        Assert.Equal(new StoredState("""{"v":2}""", 2), await store.ReadAsync(State, "a"));
    }

    [Fact]
    public async Task Commit_SameGrainIdUnderTwoStateNames_KeepsThemApart()
    {
        using var store = OpenStore();

        store.Commit([new StateWrite("one", "a", """{"v":1}""", 0), new StateWrite("two", "a", """{"v":2}""", 0)]);

        Assert.Equal("""{"v":1}""", (await store.ReadAsync("one", "a"))?.Json);
        Assert.Equal("""{"v":2}""", (await store.ReadAsync("two", "a"))?.Json);
    }

    [Fact]
    public async Task Initialize_Twice_IsHarmlessAndKeepsData()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "a", """{"v":1}""", 0)]);

        store.Initialize();
        store.Initialize();

        Assert.Equal(new StoredState("""{"v":1}""", 1), await store.ReadAsync(State, "a"));
        Assert.Equal([true], store.Commit([new StateWrite(State, "a", """{"v":2}""", 1)]));
    }

    [Fact]
    public async Task NewStoreOnTheSameDatabase_ReadsWhatTheFirstCommitted()
    {
        using (var first = OpenStore())
        {
            first.Commit([new StateWrite(State, "a", """{"v":1}""", 0), new StateWrite(State, "b", """{"v":1}""", 0)]);
            first.Commit([new StateWrite(State, "b", """{"v":2}""", 1)]);
        }

        using var second = OpenStore();

        Assert.Equal(new StoredState("""{"v":1}""", 1), await second.ReadAsync(State, "a"));
        Assert.Equal(new StoredState("""{"v":2}""", 2), await second.ReadAsync(State, "b"));
    }

    [Fact]
    public async Task ListIndexAsync_EntriesOfOneGrain_ListsEachOnceOldestFirst()
    {
        using var store = OpenStore();
        store.Commit([], [new IndexEntry("unit-1", "bk-b"), new IndexEntry("unit-2", "bk-a")]);
        store.Commit([new StateWrite(State, "a", "{}", 0)], [new IndexEntry("unit-1", "bk-a"), new IndexEntry("unit-1", "bk-b")]);

        Assert.Equal(["bk-b", "bk-a"], await store.ListIndexAsync("unit-1"));
        Assert.Equal(["bk-a"], await store.ListIndexAsync("unit-2"));
        Assert.Empty(await store.ListIndexAsync("unit-3"));
    }

    [Fact]
    public async Task Commit_ManyWritesAndEntries_AppliesAllInOneGo()
    {
        using var store = OpenStore();

        // Enough rows that a server database sends them as arrays rather than a statement each.
        var applied = store.Commit(
            [.. Enumerable.Range(0, 12).Select(i => new StateWrite(State, $"many-{i}", $"{{\"v\":{i}}}", 0))],
            [.. Enumerable.Range(0, 12).Select(i => new IndexEntry("unit-many", $"bk-{i:D2}")), new IndexEntry("unit-many", "bk-00")]);

        Assert.All(applied, Assert.True);
        Assert.Equal(new StoredState("{\"v\":11}", 1), await store.ReadAsync(State, "many-11"));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"bk-{i:D2}"), (await store.ListIndexAsync("unit-many")).Order());
    }

    [Fact]
    public async Task Commit_ManyRowsWithARowAndAnEntryAlreadyStored_AppliesTheRestAndKeepsWhatWasStored()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "stored", "{\"v\":1}", 0)], [new IndexEntry("unit-again", "bk-stored")]);

        // A batch large enough to go as arrays, where a row and an entry are already there (a replayed booking).
        var applied = store.Commit(
            [.. Enumerable.Range(0, 8).Select(i => new StateWrite(State, $"again-{i}", $"{{\"v\":{i}}}", 0)), new StateWrite(State, "stored", "{\"v\":2}", 0)],
            [new IndexEntry("unit-again", "bk-stored"), .. Enumerable.Range(0, 8).Select(i => new IndexEntry("unit-again", $"bk-{i}"))]);

        Assert.Equal([.. Enumerable.Repeat(true, 8), false], applied);
        Assert.Equal(new StoredState("{\"v\":1}", 1), await store.ReadAsync(State, "stored"));
        Assert.Equal(new StoredState("{\"v\":7}", 1), await store.ReadAsync(State, "again-7"));
        Assert.Equal(["bk-stored", .. Enumerable.Range(0, 8).Select(i => $"bk-{i}")], await store.ListIndexAsync("unit-again"));
    }

    [Fact]
    public async Task Commit_ManyRowsWhoseLastPartMeetsAStoredEntry_AppliesEachWriteOnce()
    {
        using var store = OpenStore();
        store.Commit([new StateWrite(State, "updated", "{\"v\":1}", 0), new StateWrite(State, "deleted", "{\"v\":1}", 0)], [new IndexEntry("unit-late", "bk-stored")]);

        // The stored entry is met after the rows were written: were that first attempt kept in part, sending the batch
        // again would find the update and the delete already done and report them as refused.
        var applied = store.Commit(
            [.. Enumerable.Range(0, 6).Select(i => new StateWrite(State, $"late-{i}", $"{{\"v\":{i}}}", 0)),
                new StateWrite(State, "updated", "{\"v\":2}", 1), new StateWrite(State, "deleted", null, 1)],
            [new IndexEntry("unit-late", "bk-new"), new IndexEntry("unit-late", "bk-stored")]);

        Assert.Equal(Enumerable.Repeat(true, 8), applied);
        Assert.Equal(new StoredState("{\"v\":2}", 2), await store.ReadAsync(State, "updated"));
        Assert.Null(await store.ReadAsync(State, "deleted"));
        Assert.Equal(new StoredState("{\"v\":5}", 1), await store.ReadAsync(State, "late-5"));
        Assert.Equal(["bk-new", "bk-stored"], (await store.ListIndexAsync("unit-late")).Order());
    }

    [Fact]
    public async Task GrainStorage_LateWriteWithRowsAlongside_StoresAbsentRowsAndEntriesAndLeavesStoredRowsAsTheyAre()
    {
        using var storage = NewGrainStorage();
        var grain = GrainId.Create("counter", Guid.NewGuid().ToString("N"));
        var other = GrainId.Create("other", Guid.NewGuid().ToString("N"));
        await storage.WriteStateAsync("kept", other, new GrainState<Counter>(new Counter(1)));

        var etag = await storage.WriteWhenTakenAsync(grain, () => Late(new Counter(7), null,
            [Row("kept", other, new Counter(2)), Row("new", other, new Counter(3))], [new GrainIndexEntry(other, "listed")]));

        Assert.Equal("1", etag);
        Assert.Equal(new Counter(7), await ReadAsync(storage, State, grain));
        Assert.Equal(new Counter(1), await ReadAsync(storage, "kept", other));
        Assert.Equal(new Counter(3), await ReadAsync(storage, "new", other));
        Assert.Equal(["listed"], await storage.ListIndexAsync(other));
    }

    [Fact]
    public async Task GrainStorage_LateWriteWithRowsAlongsideAtAStaleETag_ThrowsAndStoresTheRowsBeside()
    {
        using var storage = NewGrainStorage();
        var grain = GrainId.Create("counter", Guid.NewGuid().ToString("N"));
        await storage.WriteStateAsync(State, grain, new GrainState<Counter>(new Counter(1)));

        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteWhenTakenAsync(grain, () => Late(new Counter(2), null, [Row("beside", grain, new Counter(3))])));

        Assert.Equal(new Counter(1), await ReadAsync(storage, State, grain));
        Assert.Equal(new Counter(3), await ReadAsync(storage, "beside", grain));
    }

    [Fact]
    public async Task GrainStorage_TwoLateWritesOfOneGrainQueuedTogether_TheSecondIsBuiltOnceTheFirstIsStored()
    {
        using var storage = NewGrainStorage();
        var grain = NewGrain();
        using var hold = new ManualResetEventSlim();
        var holding = HoldWriter(storage, NewGrain(), hold);
        var first = storage.WriteWhenTakenAsync(grain, () => Late(new Counter(1), null));
        var firstDoneAtSecondBuild = false;
        var second = storage.WriteWhenTakenAsync(grain, () =>
        {
            firstDoneAtSecondBuild = first.IsCompletedSuccessfully;
            return Late(new Counter(2), "1");
        });

        hold.Set();

        Assert.Equal(["1", "1", "2"], await Task.WhenAll(holding, first, second));
        Assert.True(firstDoneAtSecondBuild);
        Assert.Equal(new Counter(2), await ReadAsync(storage, State, grain));
    }

    [Fact]
    public async Task GrainStorage_LateWritesInOneBatchOneBuildThrowsOneStale_EachGetsItsOwnOutcome()
    {
        using var storage = NewGrainStorage();
        var (held, withdrawn, stored, stale) = (NewGrain(), NewGrain(), NewGrain(), NewGrain());
        await storage.WriteStateAsync(State, stale, new GrainState<Counter>(new Counter(1)));
        using var hold = new ManualResetEventSlim();
        var holding = HoldWriter(storage, held, hold);

        var failing = storage.WriteWhenTakenAsync(withdrawn, () => throw new ObjectDisposedException("journal"));
        var good = storage.WriteWhenTakenAsync(stored, () => Late(new Counter(5), null));
        var conflicting = storage.WriteWhenTakenAsync(stale, () => Late(new Counter(9), null));
        var after = storage.WriteWhenTakenAsync(stored, () => Late(new Counter(6), "1"));
        hold.Set();

        Assert.Equal("1", await holding);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => failing);
        Assert.Equal("1", await good);
        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        Assert.Equal("2", await after);
        Assert.Null(await ReadAsync(storage, State, withdrawn));
        Assert.Equal(new Counter(6), await ReadAsync(storage, State, stored));
        Assert.Equal(new Counter(1), await ReadAsync(storage, State, stale));
    }

    [Fact]
    public async Task GrainStorage_DisposedWithALateWriteCarriedToTheNextBatch_StoresItBeforeStopping()
    {
        var storage = NewGrainStorage();
        var grain = NewGrain();
        using var hold = new ManualResetEventSlim();
        var holding = HoldWriter(storage, NewGrain(), hold);
        var first = storage.WriteWhenTakenAsync(grain, () => Late(new Counter(1), null));
        var second = storage.WriteWhenTakenAsync(grain, () => Late(new Counter(2), "1"));

        hold.Set();
        storage.Dispose();

        // Dispose returns once the writer thread has finished: by then every write it took is answered.
        Assert.All([holding, first, second], t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(["1", "1", "2"], await Task.WhenAll(holding, first, second));
        using var reopened = NewGrainStorage();
        Assert.Equal(new Counter(2), await ReadAsync(reopened, State, grain));
    }

    /// <summary>A late write of <paramref name="state"/> under <see cref="State"/>, serialized as the grain storage serializes.</summary>
    private static LateWrite Late(Counter state, string? etag, SerializedRow[]? rows = null, GrainIndexEntry[]? entries = null) =>
        new(State, JsonSerializer.Serialize(state), etag, rows ?? [], entries ?? []);

    private static SerializedRow Row(string stateName, GrainId grain, Counter state) => new(stateName, grain, JsonSerializer.Serialize(state));

    private static GrainId NewGrain() => GrainId.Create("counter", Guid.NewGuid().ToString("N"));

    /// <summary>
    /// Queues a late write whose build holds the writer thread until <paramref name="hold"/> is set, so that writes queued
    /// meanwhile are found together, in one batch.
    /// </summary>
    private static Task<string> HoldWriter(GroupCommitGrainStorage storage, GrainId grain, ManualResetEventSlim hold) =>
        storage.WriteWhenTakenAsync(grain, () =>
        {
            hold.Wait(TestContext.Current.CancellationToken);
            return Late(new Counter(0), null);
        });

    [Fact]
    public async Task GrainStorage_WriteAfterDispose_ThrowsObjectDisposed()
    {
        var storage = NewGrainStorage();
        var grain = GrainId.Create("counter", Guid.NewGuid().ToString("N"));
        await storage.WriteStateAsync(State, grain, new GrainState<Counter>(new Counter(1)));
        storage.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => storage.WriteStateAsync(State, grain, new GrainState<Counter>(new Counter(2))));
    }

    [Fact]
    public async Task GrainStorage_AddToIndexTwice_ListsTheEntryOnce()
    {
        using var storage = NewGrainStorage();
        var unit = GrainId.Create("unit", Guid.NewGuid().ToString("N"));

        await Task.WhenAll(storage.AddToIndexAsync(new GrainIndexEntry(unit, "bk-1")), storage.AddToIndexAsync(new GrainIndexEntry(unit, "bk-2")));
        await storage.AddToIndexAsync(new GrainIndexEntry(unit, "bk-1"));

        Assert.Equal(["bk-1", "bk-2"], (await storage.ListIndexAsync(unit)).Order());
    }

    private static async Task<Counter?> ReadAsync(GroupCommitGrainStorage storage, string stateName, GrainId grain)
    {
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync(stateName, grain, read);
        return read.RecordExists ? read.State : null;
    }

    [Fact]
    public async Task GrainStorage_WriteReadClear_RoundTripsWithVersionETags()
    {
        using var storage = NewGrainStorage();
        var grain = GrainId.Create("counter", Guid.NewGuid().ToString("N"));
        var written = new GrainState<Counter>(new Counter(7));

        await storage.WriteStateAsync(State, grain, written);
        var read = new GrainState<Counter>();
        await storage.ReadStateAsync(State, grain, read);
        var (existed, readState, readETag) = (read.RecordExists, read.State, read.ETag);
        await storage.ClearStateAsync(State, grain, read);
        var cleared = new GrainState<Counter>();
        await storage.ReadStateAsync(State, grain, cleared);

        Assert.Equal("1", written.ETag);
        Assert.True(existed);
        Assert.Equal(new Counter(7), readState);
        Assert.Equal("1", readETag);
        Assert.False(cleared.RecordExists);
        Assert.Null(cleared.ETag);
    }

    [Fact]
    public async Task GrainStorage_WriteWithStaleETag_ThrowsInconsistentStateException()
    {
        using var storage = NewGrainStorage();
        var grain = GrainId.Create("counter", Guid.NewGuid().ToString("N"));
        var first = new GrainState<Counter>(new Counter(1));
        await storage.WriteStateAsync(State, grain, first);
        var stale = new GrainState<Counter>(new Counter(2)) { ETag = first.ETag };
        await storage.WriteStateAsync(State, grain, first);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(State, grain, stale));

        var stored = new GrainState<Counter>();
        await storage.ReadStateAsync(State, grain, stored);
        Assert.Equal(new Counter(1), stored.State);
        Assert.Equal("2", stored.ETag);
    }

    [Fact]
    public async Task GrainStorage_FirstWriteOverAnotherActivationsRow_ThrowsInconsistentStateException()
    {
        using var storage = NewGrainStorage();
        var grain = GrainId.Create("counter", Guid.NewGuid().ToString("N"));
        await storage.WriteStateAsync(State, grain, new GrainState<Counter>(new Counter(1)));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(State, grain, new GrainState<Counter>(new Counter(2))));
    }

    private GroupCommitGrainStorage NewGrainStorage() =>
        new(OpenStore(), JsonSerializerOptions.Default, NullLogger<GroupCommitGrainStorage>.Instance);

    public sealed record Counter(int Value);
}

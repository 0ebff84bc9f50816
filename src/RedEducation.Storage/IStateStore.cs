namespace RedEducation.Storage;

/// <summary>A stored grain state: its JSON and its version, which is the ETag Orleans sees.</summary>
public sealed record StoredState(string Json, long Version);

/// <summary>One change to apply: write <see cref="Json"/> (or delete, when null) if the row is still at <see cref="ExpectedVersion"/> (0: no row).</summary>
public sealed record StateWrite(string StateName, string GrainId, string? Json, long ExpectedVersion);

/// <summary>An entry to list under a grain (a unit's booking id, say); added where absent, never changed.</summary>
public sealed record IndexEntry(string GrainId, string Entry);

/// <summary>A durable key-value table of grain states with optimistic concurrency. One per database engine.</summary>
public interface IStateStore : IDisposable
{
    /// <summary>Creates or upgrades the schema.</summary>
    void Initialize();

    /// <summary>The state of one grain, or null when none is stored.</summary>
    ValueTask<StoredState?> ReadAsync(string stateName, string grainId);

    /// <summary>The entries listed under <paramref name="grainId"/>, oldest first.</summary>
    ValueTask<IReadOnlyList<string>> ListIndexAsync(string grainId);

    /// <summary>
    /// Applies the writes and adds the index entries (those not there yet) in one durable transaction. Each write
    /// succeeds or fails on its own version check; the result at index i says whether writes[i] was applied. Returns only
    /// once the transaction is on disk.
    /// </summary>
    bool[] Commit(IReadOnlyList<StateWrite> writes, IReadOnlyList<IndexEntry> entries);

    bool[] Commit(IReadOnlyList<StateWrite> writes) => Commit(writes, []);
}

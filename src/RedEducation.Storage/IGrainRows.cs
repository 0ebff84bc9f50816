using System.Text.Json;
using Orleans.Runtime;
using Orleans.Storage;

namespace RedEducation.Storage;

/// <summary>A row stored beside a grain's own state: written only where no row of that name is stored yet.</summary>
/// <param name="State">Serialized as its runtime type, as the grain that owns the row reads it back.</param>
public sealed record GrainRow(string StateName, GrainId GrainId, object State);

/// <summary>An entry listed under <paramref name="Grain"/> (a unit's booking id): added where absent, never changed.</summary>
public sealed record GrainIndexEntry(GrainId Grain, string Entry);

/// <summary>What a grain's state write also stores, in the same transaction.</summary>
public sealed record Alongside(IReadOnlyList<GrainRow> Rows, IReadOnlyList<GrainIndexEntry> Entries)
{
    public static Alongside Nothing { get; } = new([], []);

    public bool IsEmpty => Rows.Count == 0 && Entries.Count == 0;
}

/// <summary>A <see cref="GrainRow"/> serialized with the storage's <see cref="IGrainRows.JsonOptions"/>.</summary>
public sealed record SerializedRow(string StateName, GrainId GrainId, string Json);

/// <summary>
/// A grain's state write as built when the storage's writer takes it: the state's JSON under <paramref name="StateName"/>
/// if the stored row is still at <paramref name="ETag"/> (null: no row), and the rows (each where absent) and index
/// entries stored beside it. Serialized beforehand, so that the writer's thread only assembles it.
/// </summary>
public sealed record LateWrite(string StateName, string Json, string? ETag, IReadOnlyList<SerializedRow> Rows, IReadOnlyList<GrainIndexEntry> Entries);

/// <summary>
/// What the project's grain storage offers beyond <see cref="IGrainStorage"/>: writes built at the last moment, with rows
/// of other grains and index entries in the same transaction, and the index entries of a grain listed. A venue-day
/// stores a new booking's own row and its unit's index entry in the commit that places it, so a placement never exists
/// without them.
/// </summary>
public interface IGrainRows
{
    /// <summary>
    /// Queues a write of <paramref name="grainId"/>'s state whose content <paramref name="build"/> gives when the storage's
    /// writer takes the write into a transaction, not when it is queued: queued while the grain's previous write is on its
    /// way to disk, it is taken the moment that one is done and holds every change made until then. <paramref name="build"/>
    /// runs on the writer's thread, never before the storage is done with this grain's previous late write (its task
    /// has completed), and may throw to withdraw the write, which then fails with that exception. Only the state's own
    /// ETag check fails the write (with <see cref="InconsistentStateException"/>); the rows and entries beside it are
    /// stored where absent even then, as they would be by a write of their own. Returns the state's new ETag. Late writes of
    /// a grain are ordered among themselves only, not with the grain's other writes.
    /// </summary>
    Task<string> WriteWhenTakenAsync(GrainId grainId, Func<LateWrite> build);

    /// <summary>How the storage serializes states: what a late write's JSON is to be written with.</summary>
    JsonSerializerOptions JsonOptions { get; }

    /// <summary>Adds <paramref name="entry"/> unless it is there; durable when the task completes.</summary>
    Task AddToIndexAsync(GrainIndexEntry entry);

    /// <summary>The entries listed under <paramref name="grain"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListIndexAsync(GrainId grain);
}

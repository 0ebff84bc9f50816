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

/// <summary>
/// What the project's grain storage offers beyond <see cref="IGrainStorage"/>: rows of other grains and index entries
/// written in the same transaction as a grain's state, and the index entries of a grain listed. A venue-day stores a new
/// booking's own row and its unit's index entry in the commit that places it, so a placement never exists without them.
/// </summary>
public interface IGrainRows
{
    /// <summary>
    /// Writes the state as <see cref="IGrainStorage.WriteStateAsync{T}"/> does and, in the same transaction, what
    /// <paramref name="alongside"/> holds (rows and entries not stored yet). Only the state's own version check fails
    /// the call; the rows and entries are stored even then, as they would be by a write of their own.
    /// </summary>
    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, Alongside alongside);

    /// <summary>Adds <paramref name="entry"/> unless it is there; durable when the task completes.</summary>
    Task AddToIndexAsync(GrainIndexEntry entry);

    /// <summary>The entries listed under <paramref name="grain"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListIndexAsync(GrainId grain);
}

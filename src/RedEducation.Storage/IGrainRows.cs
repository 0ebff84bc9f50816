using Orleans.Runtime;
using Orleans.Storage;

namespace RedEducation.Storage;

/// <summary>A row stored beside a grain's own state: written only where no row is stored yet.</summary>
/// <param name="State">Serialized as its runtime type, as the grain that owns the row reads it back.</param>
public sealed record GrainRow(string StateName, GrainId GrainId, object State);

/// <summary>
/// What the project's grain storage offers beyond <see cref="IGrainStorage"/>: rows of other grains written in the same
/// transaction as a grain's state, and the rows of a grain listed by name. A venue-day stores a new booking's own row and
/// its unit's index entry in the commit that places it, so a placement never exists without either.
/// </summary>
public interface IGrainRows
{
    /// <summary>
    /// Writes the state as <see cref="IGrainStorage.WriteStateAsync{T}"/> does and, in the same transaction, each row of
    /// <paramref name="alongside"/> that is not stored yet. Only the state's own version check can fail the call.
    /// </summary>
    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState, IReadOnlyList<GrainRow> alongside);

    /// <summary>Stores <paramref name="row"/> unless a row of that name is stored already; durable when the task completes.</summary>
    Task InsertAsync(GrainRow row);

    /// <summary>The names of <paramref name="grainId"/>'s rows that start with <paramref name="stateNamePrefix"/>, oldest first.</summary>
    Task<IReadOnlyList<string>> ListStateNamesAsync(GrainId grainId, string stateNamePrefix);
}

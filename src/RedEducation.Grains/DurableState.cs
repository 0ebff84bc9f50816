namespace RedEducation.Grains;

/// <summary>A reentrant grain's whole state, written with <see cref="GroupCommit"/>: for state that stays small.</summary>
internal sealed class DurableState<T>(IPersistentState<T> state, Action deactivate)
{
    private readonly GroupCommit _commit = new(state.WriteStateAsync, deactivate);

    public T State => state.State;

    public void EnsureUsable() => _commit.EnsureUsable();

    public void Changed() => _commit.Changed();

    public Task DurableAsync() => _commit.DurableAsync();
}

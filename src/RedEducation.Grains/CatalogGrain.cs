using RedEducation.Contracts;

namespace RedEducation.Grains;

internal sealed class CatalogState
{
    public List<string> Ids { get; set; } = [];
}

internal sealed class CatalogGrain([PersistentState("catalog", Stores.Main)] IPersistentState<CatalogState> state) : Grain, ICatalogGrain
{
    [ReadOnly]
    public Task<IReadOnlyList<string>> ListAsync() => Task.FromResult<IReadOnlyList<string>>([.. state.State.Ids]);

    public async Task AddAsync(string id)
    {
        if (!state.State.Ids.Contains(id))
        {
            state.State.Ids.Add(id);
            await state.WriteStateAsync();
        }
    }

    public async Task RemoveAsync(string id)
    {
        if (state.State.Ids.Remove(id))
        {
            await state.WriteStateAsync();
        }
    }
}

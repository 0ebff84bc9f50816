using RedEducation.Contracts;
using RedEducation.Domain.Venues;

namespace RedEducation.Grains;

internal sealed class VenueState
{
    public VenueProfile? Profile { get; set; }
    public bool EditedByAdmin { get; set; }
}

internal sealed class VenueGrain([PersistentState("venue", Stores.Main)] IPersistentState<VenueState> state) : Grain, IVenueGrain
{
    [ReadOnly]
    public Task<VenueProfile?> GetAsync() => Task.FromResult(state.State.Profile);

    public async Task SeedAsync(VenueProfile profile)
    {
        if (state.State.EditedByAdmin || Equals(Serialize(state.State.Profile), Serialize(profile)))
        {
            return;
        }
        state.State.Profile = profile;
        await state.WriteStateAsync();
    }

    public async Task UpdateAsync(VenueProfile profile)
    {
        state.State.Profile = profile;
        state.State.EditedByAdmin = true;
        await state.WriteStateAsync();
    }

    // Records holding lists compare by reference; the JSON text compares by value.
    private static string Serialize(VenueProfile? profile) => System.Text.Json.JsonSerializer.Serialize(profile);
}

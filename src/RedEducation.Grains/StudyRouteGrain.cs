using RedEducation.Contracts;

namespace RedEducation.Grains;

internal sealed class StudyRouteState
{
    public StudyRoute? Route { get; set; }
}

internal sealed class StudyRouteGrain([PersistentState("studyroute", Stores.Main)] IPersistentState<StudyRouteState> state) : Grain, IStudyRouteGrain
{
    [ReadOnly]
    public Task<StudyRoute?> GetAsync() => Task.FromResult(state.State.Route);

    public async Task SaveAsync(StudyRoute route)
    {
        state.State.Route = route;
        await state.WriteStateAsync();
    }

    public async Task<bool> CreateAsync(StudyRoute route)
    {
        if (state.State.Route is not null)
        {
            return false;
        }
        await SaveAsync(route);
        return true;
    }
}

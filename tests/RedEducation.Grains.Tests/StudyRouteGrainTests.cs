using RedEducation.Contracts;

namespace RedEducation.Grains.Tests;

public sealed class StudyRouteGrainTests(ClusterFixture fixture)
{
    private static StudyRoute Route(string id, string name) =>
        new(id, name, ["liaoshen-memorial"], "", "planner", SharedWithUnits: true, DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task CreateAsync_RouteAlreadyStored_KeepsItAndAnswersFalse()
    {
        var id = $"route-{Guid.NewGuid():N}";
        var grain = fixture.Client.GetGrain<IStudyRouteGrain>(id);
        await grain.SaveAsync(Route(id, "edited by a planner"));

        var created = await grain.CreateAsync(Route(id, "seed"));

        Assert.False(created);
        Assert.Equal("edited by a planner", (await grain.GetAsync())?.Name);
    }

    [Fact]
    public async Task CreateAsync_ManyAtOnceOnANewRoute_ExactlyOneCreates()
    {
        var id = $"route-{Guid.NewGuid():N}";
        var grain = fixture.Client.GetGrain<IStudyRouteGrain>(id);

        var created = await Task.WhenAll(Enumerable.Range(0, 3).Select(i => grain.CreateAsync(Route(id, $"seed {i}"))));

        Assert.Single(created, c => c);
        Assert.NotNull(await grain.GetAsync());
    }
}

using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using RedEducation.Contracts;

namespace RedEducation.Grains.Tests;

public sealed class UnitGrainTests(ClusterFixture fixture)
{
    [Fact]
    public async Task GetBookingIdsAsync_ListStoredAsOneRowBeforeTheJournal_ListsOldAndNewBookingsOnce()
    {
        var unit = fixture.Client.GetGrain<IUnitGrain>($"unit-{Guid.NewGuid():N}");
        var storage = fixture.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(Stores.Main);
        await storage.WriteStateAsync("unit", unit.GetGrainId(), new GrainState<UnitState>(new UnitState { BookingIds = ["bk-old-1", "bk-old-2"] }));

        await unit.AddBookingAsync("bk-new-1");
        await unit.AddBookingAsync("bk-old-2");

        Assert.Equal(["bk-old-1", "bk-old-2", "bk-new-1"], await unit.GetBookingIdsAsync());
    }

    [Fact]
    public async Task GetBookingIdsAsync_AfterReactivation_ListsEveryAddedBookingOnce()
    {
        var unit = fixture.Client.GetGrain<IUnitGrain>($"unit-{Guid.NewGuid():N}");
        var ids = Enumerable.Range(0, 30).Select(i => $"bk-{i:D3}").ToList();
        await Task.WhenAll(ids.Select(unit.AddBookingAsync));
        await unit.AddBookingAsync(ids[0]);

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        Assert.Equal(ids, (await unit.GetBookingIdsAsync()).Order());
    }
}

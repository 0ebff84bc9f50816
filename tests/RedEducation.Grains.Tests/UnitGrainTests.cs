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
    public async Task GetBookingIdsAsync_AfterReactivation_ListsEveryAddedBookingInOrder()
    {
        var unit = fixture.Client.GetGrain<IUnitGrain>($"unit-{Guid.NewGuid():N}");
        var ids = Enumerable.Range(0, 3 * DurableJournal<string>.SegmentEvents + 1).Select(i => $"bk-{i:D3}").ToList();
        await Task.WhenAll(ids.Take(5).Select(unit.AddBookingAsync));
        foreach (var id in ids.Skip(5))
        {
            await unit.AddBookingAsync(id);
        }

        await fixture.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        var listed = await unit.GetBookingIdsAsync();
        Assert.Equal(ids.Count, listed.Count);
        Assert.Equal(ids.Take(5).Order(), listed.Take(5).Order());
        Assert.Equal(ids.Skip(5), listed.Skip(5));
    }
}

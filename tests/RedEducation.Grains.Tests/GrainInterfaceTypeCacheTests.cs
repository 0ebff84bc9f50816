using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;
using RedEducation.Contracts;

namespace RedEducation.Grains.Tests;

public sealed class GrainInterfaceTypeCacheTests(ClusterFixture fixture)
{
    [Fact]
    public void GetGrainInterfaceType_EveryGrainInterface_SameAsOrleansWithoutTheCache()
    {
        var services = fixture.Cluster.Silos[0].ServiceProvider;
        var providers = services.GetServices<IGrainInterfaceTypeProvider>().ToList();
        var withoutCache = new GrainInterfaceTypeResolver(providers.Skip(1), services.GetRequiredService<TypeConverter>());
        var resolver = services.GetRequiredService<GrainInterfaceTypeResolver>();
        var interfaces = typeof(IBookingGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t)).ToList();

        Assert.Equal("GrainInterfaceTypeCache", providers[0].GetType().Name);
        Assert.True(interfaces.Count >= 10);
        Assert.All(interfaces, t => Assert.Equal(withoutCache.GetGrainInterfaceType(t), resolver.GetGrainInterfaceType(t)));
    }
}

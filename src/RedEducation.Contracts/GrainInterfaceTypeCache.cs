using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Serialization;
using Orleans.Runtime;
using Orleans.Serialization.TypeSystem;

namespace RedEducation.Contracts;

/// <summary>
/// Remembers which grain interface type each interface is. Orleans 10.4 works it out again on every
/// <c>GetGrain</c> call, reading the interface's attributes and formatting its name, which took about 13% of the silo's
/// CPU in the hot venue-day benchmark (a few grain references per booking). Registered ahead of Orleans' own providers,
/// it asks them once per interface and answers from memory after that; the answers are theirs, so silos and clients
/// that do not use the cache still agree.
/// </summary>
internal sealed class GrainInterfaceTypeCache(IServiceProvider services, TypeConverter typeConverter) : IGrainInterfaceTypeProvider
{
    private readonly ConcurrentDictionary<Type, GrainInterfaceType> _known = new();
    private GrainInterfaceTypeResolver? _others;

    public bool TryGetGrainInterfaceType(Type type, out GrainInterfaceType grainInterfaceType)
    {
        // The resolver adds a generic interface's parameters to whatever a provider answers: leave those to it.
        if (type.IsGenericType)
        {
            grainInterfaceType = default;
            return false;
        }
        grainInterfaceType = _known.GetOrAdd(type, static (t, cache) => cache.Others.GetGrainInterfaceType(t), this);
        return true;
    }

    // Resolved at the first use, not in the constructor: the providers include this one.
    private GrainInterfaceTypeResolver Others =>
        _others ??= new GrainInterfaceTypeResolver(services.GetServices<IGrainInterfaceTypeProvider>().Where(p => p is not GrainInterfaceTypeCache), typeConverter);
}

public static class OrleansSetup
{
    /// <summary>
    /// What every silo and client of RedEducation registers: the codec of domain records (<see cref="DomainCodec"/>) and the
    /// cache of grain interface types (<see cref="GrainInterfaceTypeCache"/>).
    /// </summary>
    public static IServiceCollection AddRedEducationContracts(this IServiceCollection services)
    {
        services.AddSerializer(s => s.AddDomainJsonCodec());
        // First, so that it is asked before the providers Orleans registers; once, however often this is called.
        if (!services.Any(d => d.ImplementationType == typeof(GrainInterfaceTypeCache)))
        {
            services.Insert(0, ServiceDescriptor.Singleton<IGrainInterfaceTypeProvider, GrainInterfaceTypeCache>());
        }
        return services;
    }
}

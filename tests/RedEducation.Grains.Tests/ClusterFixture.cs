using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using RedEducation.Contracts;
using RedEducation.Domain;
using RedEducation.Domain.Venues;
using RedEducation.Grains;
using RedEducation.Storage;
using RedEducation.Testing;

[assembly: AssemblyFixture(typeof(RedEducation.Grains.Tests.ClusterFixture))]

namespace RedEducation.Grains.Tests;

/// <summary>One in-process silo with the real SQLite grain storage, shared by all grain tests; tests use fresh keys.</summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private InProcessTestCluster? _cluster;

    public IClusterClient Client => _cluster!.Client;

    /// <summary>Crashes chosen route bookings part-way, as a silo failure would.</summary>
    public InjectedFaults Faults { get; } = new();

    public InProcessTestCluster Cluster => _cluster!;

    public async ValueTask InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        var path = Path.Combine(_data.Path, "grains.db");
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton(BusinessClock.Key, TimeProvider.System);
            silo.Services.AddSqliteGrainStorage(Stores.Main, path, DomainJson.Options);
            silo.Services.AddSingleton<IRouteBookingFaults>(Faults);
            silo.Services.AddRedEducationContracts();
        });
        builder.ConfigureClient(client => client.Services.AddRedEducationContracts());
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    /// <summary>Stores <paramref name="venue"/> under a fresh id and returns the stored profile.</summary>
    public async Task<VenueProfile> AddVenueAsync(VenueProfile venue)
    {
        var fresh = venue with { Id = $"{venue.Id}-{Guid.NewGuid():N}"[..40] };
        await Client.GetGrain<IVenueGrain>(fresh.Id).UpdateAsync(fresh);
        return fresh;
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
        _data.Dispose();
    }
}

public sealed class InjectedFaults : IRouteBookingFaults
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _failAfter = new();

    public void FailAfter(string attemptId, int stopIndex) => _failAfter[attemptId] = stopIndex;

    public void AfterStop(string attemptId, int stopIndex)
    {
        if (_failAfter.TryGetValue(attemptId, out var failing) && failing == stopIndex)
        {
            throw new InvalidOperationException($"injected failure after stop {stopIndex} of {attemptId}");
        }
    }
}

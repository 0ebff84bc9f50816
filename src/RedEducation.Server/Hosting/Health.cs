using Microsoft.Extensions.Diagnostics.HealthChecks;
using RedEducation.Contracts;

namespace RedEducation.Server.Hosting;

/// <summary>/health/live (the process answers) and /health/ready (the cluster answers grain calls and the venues are seeded), in every role.</summary>
internal static class Health
{
    public static void AddRedEducationHealth(this IServiceCollection services) =>
        services.AddHealthChecks().AddCheck<ClusterReadyCheck>("cluster", tags: ["ready"]);

    public static void MapRedEducationHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
    }

    private sealed class ClusterReadyCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var venues = await grains.GetGrain<ICatalogGrain>(Catalogs.Venues).ListAsync();
            return venues.Count > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("venues not seeded yet");
        }
    }
}

using Orleans.Configuration;
using RedEducation.Domain;
using RedEducation.Grains;
using RedEducation.Storage;

namespace RedEducation.Server.Hosting;

public static class SiloSetup
{
    /// <summary>
    /// Hosts an Orleans silo: the embedded single silo (localhost clustering), or one silo of a cluster whose membership
    /// is kept in Redis; grain state in SQLite under the data directory, or in PostgreSQL when configured.
    /// </summary>
    internal static void AddRedEducationSilo(this WebApplicationBuilder builder, RedEducationOptions options)
    {
        builder.UseOrleans(silo =>
        {
            if (options.Clustering == ClusteringKind.Redis)
            {
                silo.UseRedisClustering(redis => Cluster.ConfigureRedis(redis, options));
                silo.ConfigureEndpoints(
                    options.ResolveAdvertisedAddress(Environment.GetEnvironmentVariable("POD_IP")), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: true);
                silo.Configure<ClusterMembershipOptions>(Cluster.TuneMembership);
                if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 })
                {
                    // In a Kubernetes pod (k8s/silo.yaml): the silo is named after its pod, advertises the pod's IP, and
                    // silos whose pods are gone are declared dead at once instead of after missed probes.
                    silo.UseKubernetesHosting();
                }
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort);
            }
            Cluster.ConfigureIdentity(silo.Services, options);
            if (options.Storage == StorageKind.Postgres)
            {
                // Validated at start-up (ValidateOnStart runs before the silo creates its storage).
                silo.Services.AddPostgresGrainStorage(Stores.Main, options.PostgresConnectionString ?? "", DomainJson.Options);
            }
            else
            {
                silo.Services.AddSqliteGrainStorage(Stores.Main, options.DataPath("rededucation.db"), DomainJson.Options);
            }
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(30));
        });
        // Both are safe when several silos start at once: every step is create-if-absent or an idempotent grain call,
        // and a route booking's recovery queues behind a booking still in progress in its (non-reentrant) grain.
        builder.Services.AddHostedService<Seeder>();
        builder.Services.AddHostedService<RouteBookingRecovery>();
    }
}

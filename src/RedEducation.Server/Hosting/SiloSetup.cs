using Orleans.Configuration;
using Orleans.Serialization;
using RedEducation.Contracts;
using RedEducation.Domain;
using RedEducation.Grains;
using RedEducation.Storage;

namespace RedEducation.Server.Hosting;

public static class SiloSetup
{
    /// <summary>Co-hosts a single Orleans silo with grain state in SQLite under the data directory, or in PostgreSQL when configured.</summary>
    public static void AddRedEducationSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedEducationOptions>()
            .Bind(builder.Configuration.GetSection(RedEducationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(RedEducationOptions.Section).Get<RedEducationOptions>() ?? new RedEducationOptions();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddKeyedSingleton(BusinessClock.Key, TimeProvider.System);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            if (options.Storage == StorageKind.Postgres)
            {
                // Validated at start-up (ValidateOnStart runs before the silo creates its storage).
                silo.Services.AddPostgresGrainStorage(Stores.Main, options.PostgresConnectionString ?? "", DomainJson.Options);
            }
            else
            {
                silo.Services.AddSqliteGrainStorage(Stores.Main, options.DataPath("rededucation.db"), DomainJson.Options);
            }
            silo.Services.AddSerializer(s => s.AddDomainJsonCodec());
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(30));
        });
        builder.Services.AddHostedService<Seeder>();
        builder.Services.AddHostedService<RouteBookingRecovery>();
    }
}

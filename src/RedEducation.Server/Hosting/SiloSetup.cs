using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Runtime.Hosting;
using Orleans.Serialization;
using RedEducation.Grains;
using RedEducation.Storage;

namespace RedEducation.Server.Hosting;

public static class SiloSetup
{
    /// <summary>JSON for stored grain state: stable names, enums as text, so stored data reads back after upgrades.</summary>
    public static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.General)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Co-hosts a single Orleans silo with grain state in SQLite under the data directory.</summary>
    public static void AddRedEducationSilo(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RedEducationOptions>()
            .Bind(builder.Configuration.GetSection(RedEducationOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        var options = builder.Configuration.GetSection(RedEducationOptions.Section).Get<RedEducationOptions>() ?? new RedEducationOptions();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
            silo.Services.AddGrainStorage(Stores.Main, (sp, _) => new GroupCommitGrainStorage(
                new SqliteStateStore(options.DataPath("rededucation.db")),
                StateJson,
                sp.GetRequiredService<ILogger<GroupCommitGrainStorage>>()));
            // The Domain project stays free of Orleans: its records cross grain calls as JSON.
            silo.Services.AddSerializer(s => s.AddJsonSerializer(
                isSupported: t => t.Namespace?.StartsWith("RedEducation.Domain", StringComparison.Ordinal) == true,
                jsonSerializerOptions: StateJson));
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(30));
        });
        builder.Services.AddHostedService<Seeder>();
    }
}

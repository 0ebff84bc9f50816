using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Serialization;
using RedEducation.Contracts;
using RedEducation.Domain;
using RedEducation.Grains;
using RedEducation.Storage;

namespace RedEducation.Bench;

/// <summary>An in-process silo registered as the server's (SiloSetup): group-commit storage over SQLite or PostgreSQL, the domain JSON codec, no dashboard.</summary>
internal static class BenchSilo
{
    public static IHost Sqlite(string databasePath) =>
        Build(services => services.AddSqliteGrainStorage(Stores.Main, databasePath, DomainJson.Options));

    public static IHost Postgres(string connectionString) =>
        Build(services => services.AddPostgresGrainStorage(Stores.Main, connectionString, DomainJson.Options));

    private static IHost Build(Action<IServiceCollection> addStorage)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.UseOrleans(silo =>
        {
            // Free ports, so that a server or another benchmark running on this machine is not disturbed.
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: "rededucation-bench", clusterId: "rededucation-bench");
            addStorage(silo.Services);
            silo.Services.AddRedEducationContracts();
        });
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

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

/// <summary>An in-process silo registered as the server's (SiloSetup): SQLite group-commit storage, the domain JSON codec, no dashboard.</summary>
internal static class BenchSilo
{
    public static IHost Build(string databasePath)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddSingleton(TimeProvider.System);
        builder.UseOrleans(silo =>
        {
            // Free ports, so that a server or another benchmark running on this machine is not disturbed.
            silo.UseLocalhostClustering(FreePort(), FreePort(), serviceId: "rededucation-bench", clusterId: "rededucation-bench");
            silo.Services.AddSqliteGrainStorage(Stores.Main, databasePath, DomainJson.Options);
            silo.Services.AddSerializer(s => s.AddDomainJsonCodec());
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

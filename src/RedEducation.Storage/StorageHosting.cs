using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;

namespace RedEducation.Storage;

public static class StorageHosting
{
    /// <summary>Registers grain storage <paramref name="name"/> in the SQLite file at <paramref name="path"/>.</summary>
    public static IServiceCollection AddSqliteGrainStorage(this IServiceCollection services, string name, string path, JsonSerializerOptions json) =>
        services.AddGrainStorage(name, (sp, _) => new GroupCommitGrainStorage(
            new SqliteStateStore(path), json, sp.GetRequiredService<ILogger<GroupCommitGrainStorage>>()));

    /// <summary>Registers grain storage <paramref name="name"/> in the PostgreSQL database of <paramref name="connectionString"/>.</summary>
    public static IServiceCollection AddPostgresGrainStorage(this IServiceCollection services, string name, string connectionString, JsonSerializerOptions json) =>
        services.AddGrainStorage(name, (sp, _) => new GroupCommitGrainStorage(
            new PostgresStateStore(connectionString), json, sp.GetRequiredService<ILogger<GroupCommitGrainStorage>>()));
}

using RedEducation.Testing;

namespace RedEducation.Cluster.Tests;

/// <summary>A cluster setting that cannot work stops the process at start with a message naming the setting.</summary>
[Collection(ClusterProcesses.Collection)]
public sealed class StartUpTests
{
    [Theory]
    [InlineData("--RedEducation:Role=Silo|--RedEducation:Clustering=Redis",
        "RedEducation:RedisConnectionString is required when RedEducation:Clustering is Redis")]
    [InlineData("--RedEducation:Role=FrontEnd|--RedEducation:Clustering=Redis|--RedEducation:RedisConnectionString=127.0.0.1:1,nonsense=1",
        "RedEducation:RedisConnectionString is not a valid connection string")]
    [InlineData("--RedEducation:Role=Silo|--RedEducation:Clustering=Redis|--RedEducation:RedisConnectionString=127.0.0.1:1|--RedEducation:AdvertisedAddress=silo-0",
        "RedEducation:AdvertisedAddress must be an IP address")]
    // Nothing can be created under /proc, not even by root.
    [InlineData("--RedEducation:Role=FrontEnd|--RedEducation:KeyDirectory=/proc/rededucation-keys",
        "RedEducation:KeyDirectory: the key directory /proc/rededucation-keys holds no keys and is not writable")]
    [InlineData("--RedEducation:Role=Leader", "RedEducation:Role")]
    public async Task Start_UnworkableSetting_StopsWithAMessageNamingIt(string settings, string message)
    {
        using var data = new TempDirectory();
        using var http = new HttpClient();

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => ServerProcess.StartAsync(http, TestContext.Current.CancellationToken,
            [$"--RedEducation:DataDirectory={data.Path}", $"--RedEducation:GatewayPort={Ports.Free()}", $"--RedEducation:SiloPort={Ports.Free()}", .. settings.Split('|')]));

        Assert.Contains("exited with code", failure.Message, StringComparison.Ordinal);
        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }
}

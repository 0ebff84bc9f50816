namespace RedEducation.Server.Hosting;

public static partial class ClientSetup
{
    /// <summary>
    /// Joins the cluster as an Orleans client (no silo in this process): through the gateway at GatewayPort on localhost,
    /// or through the gateways the Redis membership table lists. Start-up waits until a gateway answers, so a front end
    /// may start before the silos.
    /// </summary>
    internal static void AddRedEducationClient(this WebApplicationBuilder builder, RedEducationOptions options)
    {
        builder.UseOrleansClient(client =>
        {
            if (options.Clustering == ClusteringKind.Redis)
            {
                client.UseRedisClustering(redis => Cluster.ConfigureRedis(redis, options));
                client.Configure<Orleans.Configuration.GatewayOptions>(Cluster.TuneGateways);
            }
            else
            {
                client.UseLocalhostClustering(options.GatewayPort);
            }
            Cluster.ConfigureIdentity(client.Services, options);
            client.UseConnectionRetryFilter<WaitForGateway>();
        });
    }

    private sealed partial class WaitForGateway(ILogger<WaitForGateway> logger) : IClientConnectionRetryFilter
    {
        public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
        {
            LogRetry(logger, exception.Message);
            await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            return true;
        }

        [LoggerMessage(Level = LogLevel.Warning, Message = "No gateway of the cluster answers yet ({Reason}); trying again")]
        private static partial void LogRetry(ILogger logger, string reason);
    }
}

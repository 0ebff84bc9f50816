using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Serialization;
using RedEducation.Contracts;

namespace RedEducation.Server.Hosting;

/// <summary>What silos and front ends of one cluster must agree on, and how fast they notice a silo is gone.</summary>
internal static class Cluster
{
    /// <summary>The fixed ServiceId (part of every storage key) and ClusterId, the codec of domain records and the grain interface type cache.</summary>
    public static void ConfigureIdentity(IServiceCollection services, RedEducationOptions options)
    {
        services.Configure<ClusterOptions>(o =>
        {
            o.ServiceId = options.ServiceId;
            o.ClusterId = options.ClusterId;
        });
        services.AddRedEducationContracts();
    }

    /// <summary>
    /// Orleans builds its membership table before ValidateOnStart runs, so a missing or broken string must not throw
    /// here: it is left empty, and the validation of <see cref="RedEducationOptions"/> stops the start with a plain message.
    /// </summary>
    public static void ConfigureRedis(RedisClusteringOptions redis, RedEducationOptions options)
    {
        try
        {
            redis.ConfigurationOptions = StackExchange.Redis.ConfigurationOptions.Parse(options.RedisConnectionString ?? "");
        }
        catch (ArgumentException)
        {
            redis.ConfigurationOptions = new StackExchange.Redis.ConfigurationOptions();
        }
    }

    /// <summary>
    /// A silo that stops answering is declared dead within seconds rather than the defaults' quarter of a minute or more,
    /// so that its grains are activated again elsewhere while requests keep coming: probes every second (adapting
    /// between 0.5 and 4 s), suspected after 3 missed probes, dead on 2 votes.
    /// </summary>
    public static void TuneMembership(ClusterMembershipOptions membership)
    {
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 3;
        membership.NumVotesForDeathDeclaration = 2;
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }

    /// <summary>A front end drops dead gateways from its list within seconds (default: a minute).</summary>
    public static void TuneGateways(GatewayOptions gateways) => gateways.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A request a front end sent to a silo that was then killed gets no answer, and the client does not learn that its
    /// target died: it waits for the response timeout (default 30 s), so that timeout is how long such a request
    /// hangs before it is answered 503. Every grain call of the API takes milliseconds, so 10 s only cuts the hang.
    /// </summary>
    public static void TuneClientMessaging(ClientMessagingOptions messaging) => messaging.ResponseTimeout = TimeSpan.FromSeconds(10);
}

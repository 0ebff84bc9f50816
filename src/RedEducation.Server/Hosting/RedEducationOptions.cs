using System.ComponentModel.DataAnnotations;
using System.Net;

namespace RedEducation.Server.Hosting;

/// <summary>What one server process is.</summary>
public enum ServerRole
{
    /// <summary>An Orleans silo co-hosting the HTTP API and web pages in one process: the embedded default.</summary>
    Combined,

    /// <summary>An Orleans silo that serves only /health/live and /health/ready over HTTP.</summary>
    Silo,

    /// <summary>The HTTP API and web pages, joined to the cluster as an Orleans client: no silo in the process.</summary>
    FrontEnd,
}

/// <summary>How silos find each other and clients find silos.</summary>
public enum ClusteringKind
{
    /// <summary>One silo on this machine (the embedded default); a front end finds it at GatewayPort on localhost.</summary>
    Localhost,

    /// <summary>A membership table in the Redis named by <see cref="RedEducationOptions.RedisConnectionString"/>.</summary>
    Redis,
}

/// <summary>Where grain state is kept.</summary>
public enum StorageKind
{
    /// <summary>An embedded SQLite file in the data directory: the default, nothing to install.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database named by <see cref="RedEducationOptions.PostgresConnectionString"/>, shared by all silos.</summary>
    Postgres,
}

/// <summary>The "RedEducation" configuration section.</summary>
public sealed class RedEducationOptions : IValidatableObject
{
    public const string Section = "RedEducation";

    /// <summary>Where the embedded database and the signing keys live; relative paths are taken from the working directory.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>The venue seed file; by default the geodata/venues.geojson shipped beside the server.</summary>
    public string? VenueFile { get; set; }

    /// <summary>Seed the demo accounts of the README (password "demo"). Off in production.</summary>
    public bool SeedDemoAccounts { get; set; }

    /// <summary>The first administrator's password when demo accounts are off; required then.</summary>
    public string? AdminPassword { get; set; }

    [Required]
    public string ServiceId { get; set; } = "rededucation";

    [Required]
    public string ClusterId { get; set; } = "rededucation-dev";

    /// <summary>Orleans ports: silo-to-silo and client gateway (with Redis clustering, those every silo listens on).</summary>
    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Lifetime of issued bearer tokens.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "7.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>Grain storage: <see cref="StorageKind.Sqlite"/> (embedded, default) or <see cref="StorageKind.Postgres"/>.</summary>
    public StorageKind Storage { get; set; } = StorageKind.Sqlite;

    /// <summary>An Npgsql connection string; required when <see cref="Storage"/> is Postgres.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>Silo and HTTP API together (default), a silo only, or the HTTP API as a client of the cluster.</summary>
    public ServerRole Role { get; set; } = ServerRole.Combined;

    /// <summary>Cluster membership: <see cref="ClusteringKind.Localhost"/> (default) or <see cref="ClusteringKind.Redis"/>.</summary>
    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;

    /// <summary>A StackExchange.Redis configuration string ("redis:6379,password=…"); required when <see cref="Clustering"/> is Redis.</summary>
    public string? RedisConnectionString { get; set; }

    /// <summary>
    /// The IP address a silo advertises to the cluster when clustering through Redis. Default: the POD_IP environment
    /// variable (set by the Kubernetes downward API), else the first non-loopback IPv4 address, else 127.0.0.1.
    /// </summary>
    public string? AdvertisedAddress { get; set; }

    /// <summary>
    /// Where the token signing key and the ticket keys are read from; every process of a cluster must see the same
    /// files. Default: "keys" in the data directory. Made on first start only if the directory is writable and empty.
    /// </summary>
    public string? KeyDirectory { get; set; }

    public string KeyPath => Path.GetFullPath(KeyDirectory ?? Path.Combine(DataDirectory, "keys"));

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Storage == StorageKind.Postgres)
        {
            foreach (var problem in ConnectionStringProblems(nameof(PostgresConnectionString), PostgresConnectionString, "Storage is Postgres",
                         "\"Host=db;Database=rededucation;Username=rededucation;Password=…\"", Parses(s => _ = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = s })))
            {
                yield return problem;
            }
        }
        if (Clustering == ClusteringKind.Redis)
        {
            foreach (var problem in ConnectionStringProblems(nameof(RedisConnectionString), RedisConnectionString, "Clustering is Redis",
                         "\"redis:6379,password=…\"", Parses(s => StackExchange.Redis.ConfigurationOptions.Parse(s))))
            {
                yield return problem;
            }
        }
        if (AdvertisedAddress is not null && !IPAddress.TryParse(AdvertisedAddress, out _))
        {
            yield return new ValidationResult($"{Section}:AdvertisedAddress must be an IP address, not \"{AdvertisedAddress}\".", [nameof(AdvertisedAddress)]);
        }
    }

    /// <summary>The address a silo advertises, as documented on <see cref="AdvertisedAddress"/>.</summary>
    public IPAddress ResolveAdvertisedAddress(string? podIp)
    {
        // An unparsable setting is reported by Validate at start; until then the default stands in.
        if (IPAddress.TryParse(AdvertisedAddress, out var configured))
        {
            return configured;
        }
        if (IPAddress.TryParse(podIp, out var pod))
        {
            return pod;
        }
        return System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }

    private static Func<string, string?> Parses(Action<string> parse) => s =>
    {
        try
        {
            parse(s);
            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    };

    private static IEnumerable<ValidationResult> ConnectionStringProblems(string name, string? value, string when, string example, Func<string, string?> parse)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            yield return new ValidationResult($"{Section}:{name} is required when {Section}:{when}, e.g. {example}.", [name]);
        }
        else if (parse(value) is { } problem)
        {
            // The message of the parser, not the string itself: it may hold a password.
            yield return new ValidationResult($"{Section}:{name} is not a valid connection string: {problem}", [name]);
        }
    }

    public string DataPath(params string[] parts) => Path.Combine([Path.GetFullPath(DataDirectory), .. parts]);

    public string VenueFilePath => VenueFile ?? Path.Combine(AppContext.BaseDirectory, "geodata", "venues.geojson");

    /// <summary>The road network GeoJSON used when no OSM extract has been imported; by default the shipped Liaoning skeleton.</summary>
    public string? RoadFile { get; set; }

    public string RoadFilePath => RoadFile ?? Path.Combine(AppContext.BaseDirectory, "geodata", "roads", "liaoning.geojson");
}

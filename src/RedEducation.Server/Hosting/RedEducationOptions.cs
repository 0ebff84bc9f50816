using System.ComponentModel.DataAnnotations;

namespace RedEducation.Server.Hosting;

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

    /// <summary>Orleans silo and gateway ports of the embedded single-silo cluster.</summary>
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

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Storage != StorageKind.Postgres)
        {
            yield break;
        }
        if (string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            yield return new ValidationResult(
                $"{Section}:PostgresConnectionString is required when {Section}:Storage is Postgres, e.g. \"Host=db;Database=rededucation;Username=rededucation;Password=…\".",
                [nameof(PostgresConnectionString)]);
            yield break;
        }
        string? problem = null;
        try
        {
            _ = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = PostgresConnectionString };
        }
        catch (ArgumentException e)
        {
            problem = e.Message;
        }
        if (problem is not null)
        {
            // The message of the parser, not the string itself: it may hold a password.
            yield return new ValidationResult($"{Section}:PostgresConnectionString is not a valid connection string: {problem}", [nameof(PostgresConnectionString)]);
        }
    }

    public string DataPath(params string[] parts) => Path.Combine([Path.GetFullPath(DataDirectory), .. parts]);

    public string VenueFilePath => VenueFile ?? Path.Combine(AppContext.BaseDirectory, "geodata", "venues.geojson");

    /// <summary>The road network GeoJSON used when no OSM extract has been imported; by default the shipped Liaoning skeleton.</summary>
    public string? RoadFile { get; set; }

    public string RoadFilePath => RoadFile ?? Path.Combine(AppContext.BaseDirectory, "geodata", "roads", "liaoning.geojson");
}

using System.ComponentModel.DataAnnotations;

namespace RedEducation.Server.Hosting;

/// <summary>The "RedEducation" configuration section.</summary>
public sealed class RedEducationOptions
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

    public string DataPath(params string[] parts) => Path.Combine([Path.GetFullPath(DataDirectory), .. parts]);

    public string VenueFilePath => VenueFile ?? Path.Combine(AppContext.BaseDirectory, "geodata", "venues.geojson");

    /// <summary>The road network GeoJSON used when no OSM extract has been imported; by default the shipped Liaoning skeleton.</summary>
    public string? RoadFile { get; set; }

    public string RoadFilePath => RoadFile ?? Path.Combine(AppContext.BaseDirectory, "geodata", "roads", "liaoning.geojson");
}

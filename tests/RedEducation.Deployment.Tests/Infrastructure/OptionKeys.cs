using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using RedEducation.Server.Hosting;

namespace RedEducation.Deployment.Tests.Infrastructure;

/// <summary>
/// The application's configuration as a container of the manifests would see it, read through RedEducationOptions by
/// reflection and by the same configuration binder the server uses.
/// </summary>
internal static class OptionKeys
{
    public const string Prefix = RedEducationOptions.Section + "__";

    private static readonly string AppSettings = Path.Combine(Repository.Root, "src", "RedEducation.Server", "appsettings.json");

    /// <summary>What is wrong with one RedEducation__ key and its value: no such property, or a value of the wrong kind.</summary>
    public static string? Problem(string key, string? value)
    {
        var path = key[Prefix.Length..].Split("__");
        var property = typeof(RedEducationOptions).GetProperty(path[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        if (property is null || !property.CanWrite)
        {
            return $"{key} names no setting: RedEducationOptions has no settable property {path[0]}";
        }
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        if (path.Length > 1)
        {
            return $"{key} goes below {property.Name}, which is a {type.Name}";
        }
        if (value is null)
        {
            return null;
        }
        object? parsed;
        if (type.IsEnum)
        {
            var names = Enum.GetNames(type);
            var name = names.FirstOrDefault(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase));
            if (name is null)
            {
                return $"{key}={value} is not a {type.Name}: one of {string.Join(", ", names)}";
            }
            parsed = Enum.Parse(type, name);
        }
        else if (type == typeof(int))
        {
            if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                return $"{key}={value} is not a whole number";
            }
            parsed = number;
        }
        else if (type == typeof(bool))
        {
            if (!bool.TryParse(value, out var flag))
            {
                return $"{key}={value} is not true or false";
            }
            parsed = flag;
        }
        else if (type == typeof(TimeSpan))
        {
            if (!TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out var span))
            {
                return $"{key}={value} is not a time span";
            }
            parsed = span;
        }
        else if (type == typeof(string))
        {
            parsed = value;
        }
        else
        {
            return $"{key} is a {type.Name}, which the checks do not know how to read";
        }
        var invalid = property.GetCustomAttributes<ValidationAttribute>().FirstOrDefault(a => !a.IsValid(parsed));
        return invalid is null ? null : $"{key}={value}: {invalid.FormatErrorMessage(property.Name)}";
    }

    /// <summary>
    /// The configuration the server builds from this environment: ASPNETCORE_-prefixed variables (host settings), then
    /// appsettings.json, then every variable (__ meaning :), which is the order of WebApplication.CreateBuilder.
    /// </summary>
    public static IConfiguration Configuration(IReadOnlyDictionary<string, string> environment)
    {
        static KeyValuePair<string, string?> Key(string name, string value) => KeyValuePair.Create(name.Replace("__", ":", StringComparison.Ordinal), (string?)value);
        return new ConfigurationBuilder()
            .AddInMemoryCollection(environment
                .Where(e => e.Key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase))
                .Select(e => Key(e.Key["ASPNETCORE_".Length..], e.Value)))
            .AddJsonFile(AppSettings, optional: false)
            .AddInMemoryCollection(environment.Select(e => Key(e.Key, e.Value)))
            .Build();
    }

    /// <summary>The options the server binds and validates at start-up, or why it would refuse to start.</summary>
    public static (RedEducationOptions? Options, string? Problem) Bind(IConfiguration configuration)
    {
        RedEducationOptions options;
        try
        {
            options = configuration.GetSection(RedEducationOptions.Section).Get<RedEducationOptions>(o => o.ErrorOnUnknownConfiguration = true)
                ?? new RedEducationOptions();
        }
        catch (InvalidOperationException e)
        {
            return (null, e.Message);
        }
        var results = new List<ValidationResult>();
        return Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true)
            ? (options, null)
            : (null, string.Join("; ", results.Select(r => r.ErrorMessage)));
    }

    /// <summary>The environment a container runs with: the image's ENV, then the manifests' (downward API fields left out).</summary>
    public static IReadOnlyDictionary<string, string> EnvironmentOf(Container container, ManifestSet set)
    {
        var env = new Dictionary<string, string>(set.Dockerfile.FinalStage.Environment, StringComparer.Ordinal);
        foreach (var (key, value) in container.Environment(set))
        {
            if (value.Value is not null)
            {
                env[key] = value.Value;
            }
        }
        return env;
    }

    /// <summary>A property of the options read by reflection, so that the checks need no compile-time knowledge of it.</summary>
    public static string? Read(RedEducationOptions options, string property) =>
        typeof(RedEducationOptions).GetProperty(property)?.GetValue(options)?.ToString();

    /// <summary>Combined (the default), Silo or FrontEnd.</summary>
    public static string Role(RedEducationOptions options) => Read(options, "Role") ?? "Combined";

    public static bool HostsSilo(RedEducationOptions options) => Role(options) != "FrontEnd";

    /// <summary>The HTTP port the server listens on and whether on all interfaces, from Urls or ASPNETCORE_HTTP_PORTS.</summary>
    public static (int? Port, string? Problem) HttpPort(IConfiguration configuration)
    {
        var urls = configuration["urls"];
        if (urls is null)
        {
            return int.TryParse(configuration["http_ports"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? (p, null) : (null, "no Urls and no ASPNETCORE_HTTP_PORTS");
        }
        var url = urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).First();
        var uri = new Uri(url.Replace("://+", "://wildcard.invalid", StringComparison.Ordinal).Replace("://*", "://wildcard.invalid", StringComparison.Ordinal));
        var everywhere = uri.Host is "wildcard.invalid" or "0.0.0.0" or "[::]";
        return everywhere ? (uri.Port, null) : (uri.Port, $"Urls={urls}: the server listens on {uri.Host} only, unreachable from outside the pod");
    }
}

using System.Text;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

/// <summary>
/// Keeps the bearer token between runs in <c>&lt;config&gt;/token</c>, readable by its owner only (mode 600), in a
/// directory of mode 700. The config directory is --config-dir, else REDU_CONFIG_DIR, else $XDG_CONFIG_HOME/redu,
/// else ~/.config/redu.
/// </summary>
public sealed class TokenStore(string directory)
{
    public string Directory { get; } = directory;

    public string TokenPath => Path.Combine(Directory, "token");

    public static string DefaultDirectory()
    {
        if (Environment.GetEnvironmentVariable("REDU_CONFIG_DIR") is { Length: > 0 } explicitDirectory)
        {
            return explicitDirectory;
        }
        var xdg = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME");
        var root = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config")
            : xdg;
        return Path.Combine(root, "redu");
    }

    public string? Read() =>
        File.Exists(TokenPath) ? File.ReadAllText(TokenPath, Encoding.UTF8).Trim() is { Length: > 0 } token ? token : null : null;

    public void Write(string token)
    {
        if (OperatingSystem.IsWindows())
        {
            System.IO.Directory.CreateDirectory(Directory);
            File.WriteAllText(TokenPath, token, Encoding.UTF8);
            return;
        }
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // Written to a fresh file created with mode 600 and moved over the old one, so the token is never readable by others.
        var temporary = TokenPath + ".tmp";
        File.Delete(temporary);
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        {
            stream.Write(Encoding.UTF8.GetBytes(token));
        }
        File.Move(temporary, TokenPath, overwrite: true);
    }

    public bool Delete()
    {
        var existed = File.Exists(TokenPath);
        File.Delete(TokenPath);
        return existed;
    }

    /// <summary>When a token with these claims expires (its <c>exp</c>), if it says.</summary>
    public static DateTimeOffset? ExpiresAt(JsonObject? claims) =>
        claims?["exp"] is JsonValue exp && exp.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    /// <summary>The claims of a JWT, read without verifying it: only the server can verify, this is for display.</summary>
    public static JsonObject? Claims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return null;
        }
        var payload = parts[1].Replace('-', '+').Replace('_', '/');
        payload = payload.PadRight(payload.Length + ((4 - (payload.Length % 4)) % 4), '=');
        try
        {
            return JsonNode.Parse(Convert.FromBase64String(payload)) as JsonObject;
        }
        catch (FormatException)
        {
            return null;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using NSec.Cryptography;
using RedEducation.Domain.Tickets;

namespace RedEducation.Server.Hosting;

/// <summary>
/// The key directory: token-signing.key (the JWT HMAC key) and one NNNNN.ed25519 file per ticket key, side by side, so
/// that a Kubernetes Secret made from the directory's files mounts back as the same directory. Retired ticket keys
/// move to retired/. Every file is private (mode 600).
/// </summary>
public static class SigningKeys
{
    public const string TokenKeyFile = "token-signing.key";
    public const string TicketKeyPattern = "*.ed25519";
    public const string RetiredDirectory = "retired";

    public static string TicketKeyFile(ushort id) => $"{id:D5}.ed25519";

    public static bool TryParseTicketKeyFile(string path, out ushort id) =>
        ushort.TryParse(Path.GetFileNameWithoutExtension(path), NumberStyles.None, CultureInfo.InvariantCulture, out id);

    /// <summary>Why the server cannot use <paramref name="directory"/>, or null when it holds both kinds of key or may make them.</summary>
    public static string? Problem(string directory)
    {
        var hasToken = File.Exists(Path.Combine(directory, TokenKeyFile));
        var hasTickets = HasTicketKeys(directory) || HasTicketKeys(Path.Combine(directory, LegacyTicketDirectory));
        if (hasToken && hasTickets)
        {
            return null;
        }
        if (hasToken || hasTickets)
        {
            return $"the key directory {directory} holds {(hasToken ? "the token key but no ticket key" : "ticket keys but no token key")}; "
                + "every process of a cluster must share one complete set: make it with `RedEducation.Server generate-keys <dir>`";
        }
        if (!IsWritable(directory))
        {
            return $"the key directory {directory} holds no keys and is not writable, so none can be made; "
                + "make them with `RedEducation.Server generate-keys <dir>` and mount that directory (e.g. as a Secret) here";
        }
        return null;
    }

    /// <summary>
    /// Readies <paramref name="directory"/> before its keys are read: moves ticket keys up from keys/tickets, where
    /// servers before the key directory kept them, and makes a token key and a first ticket key when it holds none
    /// (the first start). <see cref="Problem"/> has already refused directories where neither applies.
    /// </summary>
    public static void Prepare(string directory)
    {
        lock (Gate)
        {
            var legacy = Path.Combine(directory, LegacyTicketDirectory);
            if (!HasTicketKeys(directory) && HasTicketKeys(legacy))
            {
                foreach (var file in Directory.GetFiles(legacy, TicketKeyPattern))
                {
                    File.Move(file, Path.Combine(directory, Path.GetFileName(file)));
                }
                var retired = Path.Combine(legacy, RetiredDirectory);
                if (Directory.Exists(retired))
                {
                    Directory.Move(retired, Path.Combine(directory, RetiredDirectory));
                }
            }
            if (!File.Exists(Path.Combine(directory, TokenKeyFile)) && !HasTicketKeys(directory))
            {
                Generate(directory);
            }
        }
    }

    private const string LegacyTicketDirectory = "tickets";

    private static bool HasTicketKeys(string directory) => Directory.Exists(directory) && Directory.EnumerateFiles(directory, TicketKeyPattern).Any();

    /// <summary>Writes a new token key and ticket key 1 into <paramref name="directory"/>; refuses to overwrite any key.</summary>
    public static IReadOnlyList<string> Generate(string directory)
    {
        Directory.CreateDirectory(directory);
        var token = Path.Combine(directory, TokenKeyFile);
        WritePrivate(token, RandomNumberGenerator.GetBytes(32));
        using var key = Key.Create(TicketCode.Algorithm, Exportable);
        var ticket = Path.Combine(directory, TicketKeyFile(1));
        WritePrivate(ticket, key.Export(KeyBlobFormat.RawPrivateKey));
        return [token, ticket];
    }

    public static KeyCreationParameters Exportable => new() { ExportPolicy = KeyExportPolicies.AllowPlaintextArchiving };

    /// <summary>Creates <paramref name="path"/> (never replacing a file) readable by its owner only, and syncs it to disk.</summary>
    public static void WritePrivate(string path, ReadOnlySpan<byte> contents)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using var file = new FileStream(path, options);
        file.Write(contents);
        file.Flush(flushToDisk: true);
    }

    private static readonly Lock Gate = new();

    private static bool IsWritable(string directory)
    {
        var existing = directory;
        while (!Directory.Exists(existing))
        {
            existing = Path.GetDirectoryName(existing);
            if (existing is null)
            {
                return false;
            }
        }
        var probe = Path.Combine(existing, $".write-test-{Guid.NewGuid():N}");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}

/// <summary>Fails start-up with a plain message when the key directory can neither be used nor filled (ValidateOnStart).</summary>
internal sealed class KeyDirectoryValidation : IValidateOptions<RedEducationOptions>
{
    public ValidateOptionsResult Validate(string? name, RedEducationOptions options) =>
        SigningKeys.Problem(options.KeyPath) is { } problem
            ? ValidateOptionsResult.Fail($"{RedEducationOptions.Section}:KeyDirectory: {problem}.")
            : ValidateOptionsResult.Success;
}

/// <summary>
/// <c>RedEducation.Server generate-keys &lt;dir&gt;</c>: writes the signing keys that every process of a cluster shares,
/// for an operator to turn into a Secret (<c>kubectl create secret generic rededucation-keys --from-file=&lt;dir&gt;</c>)
/// and mount at <c>RedEducation:KeyDirectory</c>.
/// </summary>
public static class GenerateKeysCommand
{
    public const string Name = "generate-keys";

    public static bool Matches(string[] args) => args.Length > 0 && args[0] == Name;

    public static int Run(string[] args, TextWriter output)
    {
        if (args.Length != 2)
        {
            output.WriteLine($"usage: {Name} <dir>  (writes {SigningKeys.TokenKeyFile} and {SigningKeys.TicketKeyFile(1)} into <dir>)");
            return 2;
        }
        var directory = Path.GetFullPath(args[1]);
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any())
        {
            output.WriteLine($"{directory} is not empty; keys are only written into an empty or new directory, never over others");
            return 2;
        }
        foreach (var file in SigningKeys.Generate(directory))
        {
            output.WriteLine($"wrote {file}");
        }
        output.WriteLine($"share them with every silo and front end, e.g. kubectl create secret generic rededucation-keys --from-file={directory}, "
            + $"mounted at {RedEducationOptions.Section}:KeyDirectory");
        return 0;
    }
}

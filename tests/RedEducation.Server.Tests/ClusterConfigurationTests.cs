using System.ComponentModel.DataAnnotations;
using System.Net;
using RedEducation.Server.Hosting;
using RedEducation.Testing;

namespace RedEducation.Server.Tests;

/// <summary>The cluster settings of RedEducationOptions, checked as ValidateOnStart checks them, and where addresses come from.</summary>
public sealed class ClusterConfigurationTests
{
    [Fact]
    public void Validate_EmbeddedDefaults_AreValid()
    {
        Assert.Empty(Problems(new RedEducationOptions()));
    }

    [Fact]
    public void Validate_RedisWithoutConnectionString_NamesTheMissingSetting()
    {
        var problem = Assert.Single(Problems(new RedEducationOptions { Clustering = ClusteringKind.Redis }));

        Assert.Contains("RedEducation:RedisConnectionString is required when RedEducation:Clustering is Redis", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_BrokenRedisConnectionString_ReportsTheParserNeverThePassword()
    {
        var problem = Assert.Single(Problems(new RedEducationOptions
        {
            Clustering = ClusteringKind.Redis,
            RedisConnectionString = "redis:6379,password=s3cret-Pa55,colour=red",
        }));

        Assert.Contains("RedisConnectionString is not a valid connection string", problem, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-Pa55", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AdvertisedAddressNotAnIpAddress_Refused()
    {
        var problem = Assert.Single(Problems(new RedEducationOptions { AdvertisedAddress = "silo-0.rededucation" }));

        Assert.Contains("AdvertisedAddress must be an IP address", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveAdvertisedAddress_Configured_WinsOverPodIp()
    {
        var options = new RedEducationOptions { AdvertisedAddress = "10.1.2.3" };

        Assert.Equal(IPAddress.Parse("10.1.2.3"), options.ResolveAdvertisedAddress("10.9.9.9"));
    }

    [Fact]
    public void ResolveAdvertisedAddress_PodIpOnly_IsThePodIp()
    {
        Assert.Equal(IPAddress.Parse("10.244.0.17"), new RedEducationOptions().ResolveAdvertisedAddress("10.244.0.17"));
    }

    [Fact]
    public void ResolveAdvertisedAddress_NothingSet_IsAnIPv4AddressOfThisMachine()
    {
        var address = new RedEducationOptions().ResolveAdvertisedAddress(null);

        Assert.Equal(System.Net.Sockets.AddressFamily.InterNetwork, address.AddressFamily);
        Assert.True(!IPAddress.IsLoopback(address) || !HasNonLoopbackIPv4(), $"{address} is loopback though the machine has another IPv4 address");
    }

    [Fact]
    public void KeyPath_Default_IsKeysInTheDataDirectory()
    {
        using var data = new TempDirectory();

        Assert.Equal(Path.Combine(data.Path, "keys"), new RedEducationOptions { DataDirectory = data.Path }.KeyPath);
        Assert.Equal(Path.Combine(data.Path, "shared"), new RedEducationOptions { KeyDirectory = Path.Combine(data.Path, "shared") }.KeyPath);
    }

    private static List<string> Problems(RedEducationOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage ?? "")];
    }

    private static bool HasNonLoopbackIPv4() =>
        System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == System.Net.NetworkInformation.OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Any(a => a.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a.Address));
}

/// <summary>The key directory every process of a cluster shares, and the generate-keys command that fills it.</summary>
public sealed class SigningKeysTests
{
    [Fact]
    public void GenerateKeys_NewDirectory_WritesTheTokenKeyAndTicketKeyOneReadableByTheOwnerOnly()
    {
        using var root = new TempDirectory();
        var directory = Path.Combine(root.Path, "keys");
        var output = new StringWriter();

        var exit = GenerateKeysCommand.Run([GenerateKeysCommand.Name, directory], output);

        Assert.Equal(0, exit);
        Assert.Equal(["00001.ed25519", "token-signing.key"], Directory.GetFiles(directory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(32, new FileInfo(Path.Combine(directory, SigningKeys.TokenKeyFile)).Length);
        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in Directory.GetFiles(directory))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
        Assert.Null(SigningKeys.Problem(directory));
    }

    [Fact]
    public void GenerateKeys_DirectoryWithKeys_RefusesAndKeepsThem()
    {
        using var root = new TempDirectory();
        SigningKeys.Generate(root.Path);
        var before = File.ReadAllBytes(Path.Combine(root.Path, SigningKeys.TokenKeyFile));

        var exit = GenerateKeysCommand.Run([GenerateKeysCommand.Name, root.Path], new StringWriter());

        Assert.Equal(2, exit);
        Assert.Equal(before, File.ReadAllBytes(Path.Combine(root.Path, SigningKeys.TokenKeyFile)));
    }

    [Fact]
    public void GenerateKeys_NoDirectoryGiven_PrintsUsage()
    {
        var output = new StringWriter();

        Assert.Equal(2, GenerateKeysCommand.Run([GenerateKeysCommand.Name], output));
        Assert.StartsWith("usage: generate-keys <dir>", output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_EmptyWritableDirectory_NoneAndPrepareMakesBothKeys()
    {
        using var root = new TempDirectory();
        var directory = Path.Combine(root.Path, "data", "keys");

        Assert.Null(SigningKeys.Problem(directory));
        SigningKeys.Prepare(directory);

        Assert.True(File.Exists(Path.Combine(directory, SigningKeys.TokenKeyFile)));
        Assert.True(File.Exists(Path.Combine(directory, SigningKeys.TicketKeyFile(1))));
    }

    [Fact]
    public void Problem_OnlyTheTokenKey_SaysWhatIsMissingAndHowToMakeASet()
    {
        using var root = new TempDirectory();
        File.WriteAllBytes(Path.Combine(root.Path, SigningKeys.TokenKeyFile), new byte[32]);

        var problem = SigningKeys.Problem(root.Path);

        Assert.NotNull(problem);
        Assert.Contains("the token key but no ticket key", problem, StringComparison.Ordinal);
        Assert.Contains("generate-keys", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Problem_EmptyDirectoryNobodyCanWrite_TellsToGenerateAndMountKeys()
    {
        // Nothing can be created under /proc, not even by root (as the tests run in CI), unlike a chmod'ed directory.
        var problem = SigningKeys.Problem("/proc/rededucation-keys");

        Assert.NotNull(problem);
        Assert.Contains("holds no keys and is not writable", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Prepare_TicketKeysInTheEarlierKeysTicketsFolder_MovesThemBesideTheTokenKey()
    {
        using var root = new TempDirectory();
        var keys = Path.Combine(root.Path, "keys");
        SigningKeys.Generate(keys);
        var ticketKey = File.ReadAllBytes(Path.Combine(keys, SigningKeys.TicketKeyFile(1)));
        Directory.CreateDirectory(Path.Combine(keys, "tickets", "retired"));
        File.Move(Path.Combine(keys, SigningKeys.TicketKeyFile(1)), Path.Combine(keys, "tickets", SigningKeys.TicketKeyFile(1)));

        Assert.Null(SigningKeys.Problem(keys));
        SigningKeys.Prepare(keys);

        Assert.Equal(ticketKey, File.ReadAllBytes(Path.Combine(keys, SigningKeys.TicketKeyFile(1))));
        Assert.True(Directory.Exists(Path.Combine(keys, SigningKeys.RetiredDirectory)));
        Assert.Empty(Directory.GetFiles(Path.Combine(keys, "tickets")));
    }
}

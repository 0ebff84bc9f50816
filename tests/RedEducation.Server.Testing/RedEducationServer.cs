using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RedEducation.Contracts;
using RedEducation.Testing;
using Xunit;

namespace RedEducation.Server.Testing;

/// <summary>
/// One real server process-in-a-process: the production pipeline (Kestrel on a loopback port, the co-hosted Orleans
/// silo, SQLite grain storage) over its own data directory and its own silo and gateway ports, so that several can run
/// side by side. Every client it hands out fails the test on any 5xx and on any error that is not a problem document.
/// </summary>
public class RedEducationServer : IAsyncLifetime
{
    public const string Password = "demo";

    private readonly TempDirectory? _ownedData;
    private readonly IReadOnlyDictionary<string, string> _settings = new Dictionary<string, string>();
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _tokens = new();
    private Factory? _factory;

    public RedEducationServer()
    {
        _ownedData = new TempDirectory();
        DataDirectory = _ownedData.Path;
    }

    /// <summary>A server over a fresh data directory of its own, with extra configuration, e.g. its rate limits.</summary>
    public RedEducationServer(IReadOnlyDictionary<string, string> settings)
        : this() => _settings = settings;

    /// <summary>A server over an existing data directory, which the caller owns (to test what survives a restart).</summary>
    public RedEducationServer(string dataDirectory) => DataDirectory = dataDirectory;

    /// <summary>A server over an existing data directory with extra configuration, e.g. <c>RedEducation:Storage</c>.</summary>
    public RedEducationServer(string dataDirectory, IReadOnlyDictionary<string, string> settings)
        : this(dataDirectory) => _settings = settings;

    public string DataDirectory { get; }

    /// <summary>The server's business clock (booking lead times, check-in windows); the system clock unless a test sets its own.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>The server's services, e.g. its endpoints.</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("the server is not started");

    public Uri BaseAddress => _factory?.ClientOptions.BaseAddress ?? throw new InvalidOperationException("the server is not started");

    public async ValueTask InitializeAsync()
    {
        var (siloPort, gatewayPort) = (Ports.Free(), Ports.Free());
        _factory = new Factory(DataDirectory, siloPort, gatewayPort, _settings, Clock);
        _factory.UseKestrel(0);
        _factory.StartServer();
        await WaitUntilReadyAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        _ownedData?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>A client without credentials.</summary>
    public HttpClient Anonymous() => CreateClient();

    /// <summary>A client that sends a bearer token of <paramref name="username"/>; each user signs in once per server.</summary>
    public async Task<HttpClient> ClientForAsync(string username)
    {
        var token = await _tokens.GetOrAdd(username, name => new Lazy<Task<string>>(() => SignInAsync(name, TestContext.Current.CancellationToken))).Value;
        return WithToken(token);
    }

    /// <summary>A client that sends <paramref name="token"/> as its bearer token.</summary>
    public HttpClient WithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private async Task<string> SignInAsync(string username, CancellationToken cancellationToken)
    {
        using var client = Anonymous();
        using var response = await client.PostAsJsonAsync("/api/auth/token", new { username, password = Password }, cancellationToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
        return (string?)body?["accessToken"] ?? throw new InvalidOperationException($"no token for {username}");
    }

    private HttpClient CreateClient() => _factory?.CreateDefaultClient(new ContractGuard()) ?? throw new InvalidOperationException("the server is not started");

    /// <summary>
    /// Polls /health/ready. Starting the factory already waits for the silo and the seeding, so this normally answers
    /// at once; the attempt bound only turns a server that can never become ready into a failure instead of a hang.
    /// </summary>
    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        const int Attempts = 600;
        using var client = _factory!.CreateDefaultClient();
        for (var attempt = 1; attempt <= Attempts; attempt++)
        {
            try
            {
                using var response = await client.GetAsync("/health/ready", cancellationToken);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100, cancellationToken);
        }
        throw new InvalidOperationException($"/health/ready did not answer 200 in {Attempts} attempts");
    }


    private sealed class Factory(string dataDirectory, int siloPort, int gatewayPort, IReadOnlyDictionary<string, string> settings, TimeProvider? businessClock)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // Settings given here reach the server as command-line arguments, so Program sees them before it builds.
            builder.UseEnvironment("Production");
            builder.UseSetting("RedEducation:DataDirectory", dataDirectory);
            builder.UseSetting("RedEducation:SiloPort", siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("RedEducation:GatewayPort", gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("RedEducation:SeedDemoAccounts", "true");
            // Hundreds of tests book as the same three units within a minute; the rate limit tests set their own limits.
            builder.UseSetting("RedEducation:Limits:BookingChangesPerMinute", "1000000");
            builder.UseSetting("RedEducation:Limits:RoutePlansPerMinute", "1000000");
            builder.UseSetting("Logging:LogLevel:Default", "Warning");
            builder.UseSetting("Logging:LogLevel:Orleans", "Error");
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }
            if (businessClock is not null)
            {
                builder.ConfigureTestServices(s => s.AddKeyedSingleton(BusinessClock.Key, businessClock));
            }
        }
    }
}

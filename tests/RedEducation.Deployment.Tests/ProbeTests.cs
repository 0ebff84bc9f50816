using System.Collections.Concurrent;
using System.Net;
using RedEducation.Deployment.Tests.Checks;
using RedEducation.Deployment.Tests.Infrastructure;
using RedEducation.Server.Hosting;
using RedEducation.Server.Testing;
using RedEducation.Testing;

namespace RedEducation.Deployment.Tests;

/// <summary>
/// Real servers, in process, one per role the manifests run: a probe path counts only if that server answers it with
/// 200. A front end cannot start without a cluster to join, so its probes are asked of a Combined server, which maps the
/// same HTTP pipeline.
/// </summary>
public sealed class ProbeServers : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<RedEducationServer>>> _servers = new();
    private readonly List<TempDirectory> _directories = [];

    public async Task<bool> AnswersOkAsync(string role, string path)
    {
        var server = await _servers.GetOrAdd(role == "FrontEnd" ? "Combined" : role, r => new Lazy<Task<RedEducationServer>>(() => StartAsync(r))).Value;
        using var client = server.Anonymous();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);
        return response.StatusCode == HttpStatusCode.OK;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.Values.Where(s => s.IsValueCreated))
        {
            await (await server.Value).DisposeAsync();
        }
        foreach (var directory in _directories)
        {
            directory.Dispose();
        }
    }

    private async Task<RedEducationServer> StartAsync(string role)
    {
        var data = new TempDirectory();
        lock (_directories)
        {
            _directories.Add(data);
        }
        // The role is set only where the options have it, so that a server without roles is asked as what it is.
        var settings = typeof(RedEducationOptions).GetProperty("Role") is null
            ? new Dictionary<string, string>()
            : new Dictionary<string, string> { [$"{RedEducationOptions.Section}:Role"] = role };
        var server = new RedEducationServer(data.Path, settings);
        await server.InitializeAsync();
        return server;
    }
}

public sealed class ProbeTests(ProbeServers servers) : IClassFixture<ProbeServers>
{
    [Fact]
    public async Task Probes_ShippedManifests_AskPathsTheServerOfThatRoleAnswers()
    {
        var set = Repository.Manifests();
        Assert.Contains(ProbeChecks.Probes(set), p => p.Role == "Silo");
        Assert.Empty(await ProbeChecks.CheckAsync(set, servers.AnswersOkAsync));
    }

    [Fact]
    public async Task AnswersOk_SiloRole_HealthButNotTheApi()
    {
        // The control: the Silo server really is one, so a probe path counts only if a silo serves it.
        Assert.True(await servers.AnswersOkAsync("Silo", "/health/ready"));
        Assert.False(await servers.AnswersOkAsync("Silo", "/api/venues"));
        Assert.True(await servers.AnswersOkAsync("Combined", "/api/venues"));
    }

    [Fact]
    public async Task Probes_PathTheServerDoesNotMap_Reported()
    {
        using var scratch = new TempDirectory();
        var problems = await ProbeChecks.CheckAsync(Repository.Broken(scratch, ("silo.yaml", "path: /health/ready", "path: /healthz/ready")), servers.AnswersOkAsync);
        Assert.Contains(problems, p => p.Contains("the readinessProbe asks for /healthz/ready, which a Silo server does not answer with 200", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probes_OnTheSiloPort_Reported()
    {
        using var scratch = new TempDirectory();
        var problems = await ProbeChecks.CheckAsync(Repository.Broken(scratch, ("frontend.yaml", "              path: /health/live\n              port: http", "              path: /health/live\n              port: \"30000\"")), servers.AnswersOkAsync);
        Assert.Contains(problems, p => p.Contains("the livenessProbe asks port 30000, not the HTTP port", StringComparison.Ordinal));
    }
}

using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using RedEducation.Server.Tests.Infrastructure;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>
/// Every role against every route the server maps, read from its EndpointDataSource: a route added without a row here
/// fails <see cref="Matrix_EveryMappedRoute_HasARow"/>. Each cell asserts its status (401 without a valid token, 403 for
/// the wrong role or venue, 404 for another unit's booking); all denied cells of a row are sent between two snapshots of
/// the server's state (venues, availability, bookings, check-ins, accounts, keys, routes, audit), which must be equal.
/// </summary>
[Collection(SecuritySuite.Name)]
public sealed class AccessMatrixTests(SecurityServer server)
{
    private static readonly Who[] Everyone = Enum.GetValues<Who>();

    [Fact]
    public void Matrix_EveryMappedRoute_HasARow()
    {
        var mapped = MappedRoutes(server);
        var rows = RouteTable.Rows(null!).Select(r => r.Route).ToList();

        Assert.Empty(mapped.Except(rows));
        Assert.Empty(rows.Except(mapped));
        Assert.Equal(rows.Count, rows.Distinct().Count());
    }

    [Fact]
    public async Task Matrix_EveryRoleOnEveryRoute_GetsItsExpectedStatusAndDenialsChangeNothing()
    {
        using var world = await SecurityWorld.CreateAsync(server);
        var failures = new List<string>();
        foreach (var row in RouteTable.Rows(world))
        {
            var denied = Everyone.Where(w => !RouteTable.IsAllowed(row.Expect(w))).ToList();
            var requests = new List<(Who Who, Probe Probe)>();
            foreach (var who in denied)
            {
                requests.Add((who, await row.Request(who)));
            }
            var before = await world.SnapshotAsync();
            foreach (var (who, probe) in requests)
            {
                await SendAsync(world, row, who, probe, failures);
            }
            var after = await world.SnapshotAsync();
            if (!JsonNode.DeepEquals(before, after))
            {
                failures.Add($"{row.Route}: a denied request changed the server's state");
            }
            foreach (var who in Everyone.Except(denied))
            {
                await SendAsync(world, row, who, await row.Request(who), failures);
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The routes the server maps, as "METHOD pattern".</summary>
    internal static List<string> MappedRoutes(RedEducationServer server) =>
    [
        .. server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"]).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Distinct()
            .Order(StringComparer.Ordinal),
    ];

    private static async Task SendAsync(SecurityWorld world, RouteRow row, Who who, Probe probe, List<string> failures)
    {
        using var request = probe.ToRequest();
        using var response = await world.Client(who).SendAsync(request, Ct);
        var expected = row.Expect(who);
        if ((int)response.StatusCode != expected)
        {
            failures.Add($"{row.Route} as {who}: expected {expected}, got {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(Ct)}");
        }
    }
}

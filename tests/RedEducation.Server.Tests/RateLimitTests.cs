using System.Net;
using System.Net.Http.Json;
using RedEducation.Server.Tests.Infrastructure;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task PostToken_ManyAttemptsFromOneAddress_Returns429TooManyRequests()
    {
        // A server of its own: the limit is per client address, and every test client comes from 127.0.0.1.
        await using var server = new RedEducationServer();
        await server.InitializeAsync();
        using var client = server.Anonymous();
        var statuses = new List<HttpStatusCode>();

        for (var attempt = 0; attempt < 40 && !statuses.Contains(HttpStatusCode.TooManyRequests); attempt++)
        {
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "unit1", password = $"guess-{attempt}" }, Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.True(statuses.Count > 10, $"limited after only {statuses.Count} attempts");
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        // Even the right password is turned away while the limit holds.
        using var right = await client.PostAsJsonAsync("/api/auth/token", new { username = "unit1", password = "demo" }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }
}

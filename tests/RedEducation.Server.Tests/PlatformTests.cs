using System.Net;
using RedEducation.Server.Api;
using RedEducation.Server.Tests.Infrastructure;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>Health, OpenAPI, docs, the problem catalog and how unknown routes and methods are answered.</summary>
public sealed class PlatformTests(SharedServer server)
{
    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Health_RunningServer_Returns200(string path)
    {
        using var client = server.Anonymous();

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_Document_IsJsonListingTheContractRoutes()
    {
        using var client = server.Anonymous();

        using var response = await client.GetAsync("/openapi/v1.json", Ct);
        var document = await response.ObjectAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("3.", document.Str("openapi"), StringComparison.Ordinal);
        var paths = document["paths"]!.AsObject();
        foreach (var path in new[]
                 {
                     "/api/auth/token", "/api/venues", "/api/venues/{venueId}", "/api/venues/{venueId}/availability",
                     "/api/bookings", "/api/bookings/{id}", "/api/bookings/{id}/cancel", "/api/bookings/{id}/reschedule",
                 })
        {
            Assert.True(paths.ContainsKey(path), $"the OpenAPI document lacks {path}");
        }
        Assert.NotNull(paths["/api/bookings"]!["post"]);
        Assert.NotNull(paths["/api/bookings/{id}"]!["patch"]);
    }

    [Fact]
    public async Task Docs_Browsable_Returns200Html()
    {
        using var client = server.Anonymous();

        using var response = await client.GetAsync("/docs", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/nothing-here")]
    [InlineData("/api/venues/liaoshen-memorial/nothing")]
    [InlineData("/api/bookings/bkaaaaaaaaaaaaaaaaaaaa/nothing/deeper")]
    [InlineData("/nothing-here")]
    [InlineData("/api")]
    public async Task UnknownRoute_Anyone_Returns404NotFound(string path)
    {
        using var client = server.Anonymous();

        await client.GetAsync(path, Ct).ProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Theory]
    [InlineData("DELETE", "/api/venues/liaoshen-memorial")]
    [InlineData("PUT", "/api/venues")]
    [InlineData("POST", "/api/venues/liaoshen-memorial/availability?date=2030-01-01")]
    [InlineData("GET", "/api/auth/token")]
    [InlineData("DELETE", "/openapi/v1.json")]
    public async Task KnownRoute_WrongMethod_Returns405MethodNotAllowed(string method, string path)
    {
        using var client = server.Anonymous();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        await client.SendAsync(request, Ct).ProblemAsync(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
    }

    [Fact]
    public async Task ProblemsRoute_EveryCatalogEntry_IsDescribed()
    {
        using var client = server.Anonymous();

        foreach (var (name, (status, _)) in Problems.Catalog)
        {
            using var response = await client.GetAsync($"/problems/{name}", Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(name, text, StringComparison.Ordinal);
            Assert.Contains($"HTTP {status}", text, StringComparison.Ordinal);
        }
        await client.GetAsync("/problems/no-such-problem", Ct).ProblemAsync(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public void ProblemCatalog_BookingAndAuthTypesOfApiMd_AreAllPresent()
    {
        // The suffixes api.md names for the routes this server serves so far.
        string[] documented = ["invalid-credentials", "slot-full"];
        // The specific 422 types api.md asks for when a rule is broken (closed day, lead time, group size, unit cap).
        string[] rules = ["venue-closed", "too-soon", "too-far-ahead", "group-too-small", "group-too-large", "unit-cap"];

        foreach (var name in documented.Concat(rules))
        {
            Assert.True(Problems.Catalog.ContainsKey(name), $"no problem type {name}");
        }
        Assert.All(rules, name => Assert.Equal(422, Problems.Catalog[name].Status));
        Assert.Equal(409, Problems.Catalog["slot-full"].Status);
        Assert.Equal(401, Problems.Catalog["invalid-credentials"].Status);
    }
}

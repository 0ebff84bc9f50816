using System.Text.Json;
using RedEducation.Server.Api;
using Xunit;

namespace RedEducation.Server.Testing;

/// <summary>
/// Checks api.md's promises on every response a test receives: never a 5xx, and every error an
/// application/problem+json document whose type names an entry of the problem catalog.
/// </summary>
public sealed class ContractGuard : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        if (status < 400)
        {
            return response;
        }
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        var what = $"{request.Method} {request.RequestUri?.PathAndQuery} answered {status}";
        Assert.True(status < 500, $"{what}, a server error: {text}");
        Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json",
            $"{what} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"}, not a problem document: {text}");
        using var problem = JsonDocument.Parse(text);
        var type = problem.RootElement.TryGetProperty("type", out var t) ? t.GetString() : null;
        Assert.True(type is not null && type.StartsWith("/problems/", StringComparison.Ordinal) && Problems.Catalog.ContainsKey(type["/problems/".Length..]),
            $"{what} with problem type '{type}', which is not in the catalog: {text}");
        Assert.Equal(status, problem.RootElement.TryGetProperty("status", out var s) ? s.GetInt32() : 0);
        Assert.False(string.IsNullOrWhiteSpace(problem.RootElement.TryGetProperty("title", out var title) ? title.GetString() : null), $"{what} without a title");
        return response;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests.Infrastructure;

/// <summary>
/// A server for the security tests, which look at state the whole server shares (the account list, the audit log, every
/// booking and venue): its tests run one class at a time (<see cref="SecuritySuite"/>) and nobody else uses it.
/// Sign-in is not rate limited here, so tests sign in as the accounts they make as often as they need.
/// </summary>
public sealed class SecurityServer() : RedEducationServer(new Dictionary<string, string> { ["RedEducation:Limits:SignInPerMinute"] = "1000000" })
{
    /// <summary>A password the account rules accept.</summary>
    public const string StrongPassword = "红色教育-Visit-2026!";

    private readonly VenueDays _days = new();

    /// <summary>A venue-day no other security test books.</summary>
    public VenueDay NextDay(string? venueId = null) => _days.Next(venueId);

    /// <summary>Signs in with a password; returns the response (200 with a token, or the refusal).</summary>
    public async Task<HttpResponseMessage> SignInAsync(string username, string password)
    {
        using var client = Anonymous();
        return await client.PostAsJsonAsync("/api/auth/token", new { username, password }, Ct);
    }

    /// <summary>A client with a fresh token of <paramref name="username"/> (not the cached one of <see cref="RedEducationServer.ClientForAsync"/>).</summary>
    public async Task<HttpClient> FreshClientAsync(string username, string password = Password)
    {
        var body = await SignInAsync(username, password).OkAsync();
        return WithToken(body.Str("accessToken"));
    }

    /// <summary>Makes an account through the admin API, insisting on 201; the user name gets a unique suffix.</summary>
    public async Task<JsonObject> CreateAccountAsync(string prefix, string role, string? unitId = null, string[]? venueIds = null, string password = StrongPassword)
    {
        using var admin = await ClientForAsync("admin");
        var body = AccountBody($"{prefix}-{Guid.NewGuid():N}"[..Math.Min(prefix.Length + 13, 64)], role, unitId, venueIds, password);
        return await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/accounts", body).OkAsync(HttpStatusCode.Created);
    }

    public static JsonObject AccountBody(string username, string role, string? unitId = null, string[]? venueIds = null, string password = StrongPassword)
    {
        var body = new JsonObject { ["username"] = username, ["displayName"] = $"测试 {username}", ["role"] = role, ["password"] = password };
        if (unitId is not null)
        {
            body["unitId"] = unitId;
        }
        if (venueIds is not null)
        {
            body["venueIds"] = new JsonArray([.. venueIds.Select(v => (JsonNode?)v)]);
        }
        return body;
    }
}

[CollectionDefinition(Name)]
public sealed class SecuritySuite : ICollectionFixture<SecurityServer>
{
    public const string Name = "security";
}

using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RedEducation.Server.Tests.Infrastructure;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

public sealed class AuthTests(SharedServer server)
{
    [Theory]
    [InlineData("admin", "admin", null, null)]
    [InlineData("planner", "planner", null, null)]
    [InlineData("unit1", "unit", "unit1", null)]
    [InlineData("unit3", "unit", "unit3", null)]
    [InlineData("staff-liaoshen-memorial", "staff", null, "liaoshen-memorial")]
    public async Task PostToken_DemoAccount_ReturnsTokenWithRoleAndScope(string username, string role, string? unitId, string? venueId)
    {
        using var client = server.Anonymous();

        var body = await client.PostAsJsonAsync("/api/auth/token", new { username, password = "demo" }, Ct).OkAsync();

        Assert.Equal(3, body.Str("accessToken").Split('.').Length);
        var expiresAt = DateTimeOffset.Parse(body.Str("expiresAt"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(expiresAt > DateTimeOffset.UtcNow, $"token already expired at {expiresAt}");
        Assert.Equal(role, body.Str("role"));
        Assert.Equal(unitId, (string?)body["unitId"]);
        if (venueId is null)
        {
            Assert.True(body["venueIds"] is null, $"venueIds given to {username}: {body.ToJsonString()}");
        }
        else
        {
            Assert.Equal([venueId], body["venueIds"]!.AsArray().Select(v => (string?)v));
        }
    }

    [Theory]
    [InlineData("unit1", "wrong")]
    [InlineData("unit1", "DEMO")]
    [InlineData("nobody-here", "demo")]
    [InlineData("", "demo")]
    [InlineData("unit1", "")]
    public async Task PostToken_BadCredentials_Returns401InvalidCredentials(string username, string password)
    {
        using var client = server.Anonymous();

        var problem = await client.PostAsJsonAsync("/api/auth/token", new { username, password }, Ct)
            .ProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");

        Assert.Null(problem["accessToken"]);
    }

    [Theory]
    [InlineData("{\"username\":\"unit1\",\"password\":")]
    [InlineData("{\"username\":1,\"password\":\"demo\"}")]
    [InlineData("not json at all")]
    public async Task PostToken_MalformedBody_Returns400MalformedRequest(string body)
    {
        using var client = server.Anonymous();

        await client.SendRawAsync(HttpMethod.Post, "/api/auth/token", body).ProblemAsync(HttpStatusCode.BadRequest, "malformed-request");
    }

    [Fact]
    public async Task Bearer_IssuedToken_OpensProtectedRoute()
    {
        using var client = await server.ClientForAsync("unit1");

        using var response = await client.GetAsync("/api/bookings", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Bearer_PayloadAlteredToAdmin_Returns401Unauthorized()
    {
        using var unit = await server.ClientForAsync("unit1");
        var parts = unit.DefaultRequestHeaders.Authorization!.Parameter!.Split('.');
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(parts[1]))!.AsObject();
        payload["role"] = "admin";
        var forged = $"{parts[0]}.{Base64UrlEncoder.Encode(payload.ToJsonString())}.{parts[2]}";
        using var client = server.WithToken(forged);

        await client.GetAsync("/api/bookings?unitId=unit2", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Bearer_UnsignedToken_Returns401Unauthorized()
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode($"{{\"sub\":\"admin\",\"role\":\"admin\",\"iss\":\"rededucation\",\"aud\":\"rededucation\",\"nbf\":{now - 60},\"exp\":{now + 3600}}}");
        using var client = server.WithToken($"{header}.{payload}.");

        await client.GetAsync("/api/bookings?unitId=unit1", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Bearer_SignedWithAnotherKey_Returns401Unauthorized()
    {
        using var client = server.WithToken(Token(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32), DateTime.UtcNow.AddHours(1)));

        await client.GetAsync("/api/bookings?unitId=unit1", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Bearer_ExpiredButOtherwiseValid_Returns401Unauthorized()
    {
        var key = await File.ReadAllBytesAsync(Path.Combine(server.DataDirectory, "keys", "token-signing.key"), Ct);
        using var fresh = server.WithToken(Token(key, DateTime.UtcNow.AddHours(1)));
        using var expired = server.WithToken(Token(key, DateTime.UtcNow.AddMinutes(-5)));

        // The same token made with the server's own key and a future expiry is accepted, so only the expiry differs.
        using var accepted = await fresh.GetAsync("/api/bookings?unitId=unit1", Ct);
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        await expired.GetAsync("/api/bookings?unitId=unit1", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task Bearer_NotABearerScheme_Returns401Unauthorized()
    {
        using var client = server.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:demo")));

        await client.GetAsync("/api/bookings?unitId=unit1", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    private static string Token(byte[] key, DateTime expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "rededucation",
        Audience = "rededucation",
        Subject = new ClaimsIdentity([new Claim("sub", "admin"), new Claim("role", "admin")]),
        IssuedAt = expires.AddHours(-2),
        NotBefore = expires.AddHours(-2),
        Expires = expires,
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
    });
}

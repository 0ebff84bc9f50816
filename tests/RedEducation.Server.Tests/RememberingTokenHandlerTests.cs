using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RedEducation.Server.Auth;
using RedEducation.Testing;

namespace RedEducation.Server.Tests;

/// <summary>Remembering validated bearer tokens must never accept a token that full validation would refuse.</summary>
public sealed class RememberingTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(32));
    private readonly TestClock _clock = new(DateTimeOffset.UtcNow);
    private readonly DateTime _expires = DateTime.UtcNow.AddHours(1);

    private TokenValidationParameters Parameters => new()
    {
        ValidIssuer = "rededucation",
        ValidAudience = "rededucation",
        IssuerSigningKey = Key,
        NameClaimType = "sub",
        RoleClaimType = "role",
        // Lifetime judged by the test's clock, so that the test can move past the token's expiry.
        LifetimeValidator = (_, expires, _, _) => expires is { } at && _clock.GetUtcNow().UtcDateTime < at,
    };

    private string Token() => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "rededucation",
        Audience = "rededucation",
        Subject = new ClaimsIdentity([new Claim("sub", "staff-liaoshen-memorial"), new Claim("role", "staff"), new Claim("venue", "liaoshen-memorial")]),
        IssuedAt = _expires.AddHours(-2),
        NotBefore = _expires.AddHours(-2),
        Expires = _expires,
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });

    [Fact]
    public async Task ValidateTokenAsync_SameTokenAgain_SameClaimsInANewIdentity()
    {
        var handler = new RememberingTokenHandler(_clock);
        var token = Token();

        var first = await handler.ValidateTokenAsync(token, Parameters);
        var again = await handler.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(again.IsValid);
        Assert.NotSame(first.ClaimsIdentity, again.ClaimsIdentity);
        Assert.Equal(first.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)), again.ClaimsIdentity.Claims.Select(c => (c.Type, c.Value)));
        Assert.Equal("staff-liaoshen-memorial", again.ClaimsIdentity.Name);
    }

    [Fact]
    public async Task ValidateTokenAsync_EveryAlterationOfARememberedToken_Refused()
    {
        var handler = new RememberingTokenHandler(_clock);
        var token = Token();
        Assert.True((await handler.ValidateTokenAsync(token, Parameters)).IsValid);
        var altered = Enumerable.Range(0, token.Length)
            .Where(i => token[i] != '.')
            .Select(i => token[..i] + (token[i] == 'A' ? 'B' : 'A') + token[(i + 1)..])
            .Append(token + "A")
            .Append(token[..^1])
            .ToList();

        var accepted = new List<string>();
        foreach (var candidate in altered)
        {
            if ((await handler.ValidateTokenAsync(candidate, Parameters)).IsValid)
            {
                accepted.Add(candidate);
            }
        }

        // The signature's last base64url character carries two unused bits: changing only those keeps the same
        // signature bytes, which full validation accepts too. Nothing else may pass.
        Assert.All(accepted, a => Assert.Equal(token[..^1], a[..^1]));
        Assert.True((await handler.ValidateTokenAsync(token, Parameters)).IsValid);
    }

    [Fact]
    public async Task ValidateTokenAsync_RememberedTokenPastItsExpiry_Refused()
    {
        var handler = new RememberingTokenHandler(_clock);
        var token = Token();
        Assert.True((await handler.ValidateTokenAsync(token, Parameters)).IsValid);
        Assert.True((await handler.ValidateTokenAsync(token, Parameters)).IsValid);

        _clock.Now = new DateTimeOffset(_expires).AddMinutes(1);

        Assert.False((await handler.ValidateTokenAsync(token, Parameters)).IsValid);
    }
}

using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RedEducation.Contracts;
using RedEducation.Server.Hosting;

namespace RedEducation.Server.Auth;

/// <summary>
/// Issues and validates bearer tokens (JWT, HMAC-SHA256). The key is read from the key directory (made there on first
/// start, mode 600), so tokens survive a restart, every front end of a cluster accepts them, and the key never leaves
/// the servers.
/// </summary>
public sealed class TokenIssuer
{
    public const string UnitClaim = "unit";
    public const string VenueClaim = "venue";
    private const string Issuer = "rededucation";

    private readonly TimeProvider _clock;
    private readonly TimeSpan _lifetime;

    public TokenIssuer(IOptions<RedEducationOptions> options, TimeProvider clock)
    {
        _clock = clock;
        _lifetime = options.Value.TokenLifetime;
        var directory = options.Value.KeyPath;
        SigningKeys.Prepare(directory);
        Key = new SymmetricSecurityKey(File.ReadAllBytes(Path.Combine(directory, SigningKeys.TokenKeyFile)));
    }

    public SymmetricSecurityKey Key { get; }

    public TokenValidationParameters ValidationParameters => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Issuer,
        IssuerSigningKey = Key,
        NameClaimType = "sub",
        RoleClaimType = "role",
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    public (string Token, DateTimeOffset ExpiresAt) Issue(Account account)
    {
        var now = _clock.GetUtcNow();
        var expires = now + _lifetime;
        var claims = new List<Claim> { new("sub", account.Username), new("role", account.Role) };
        if (account.UnitId is not null)
        {
            claims.Add(new Claim(UnitClaim, account.UnitId));
        }
        claims.AddRange(account.VenueIds.Select(v => new Claim(VenueClaim, v)));
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Issuer,
            Subject = new ClaimsIdentity(claims),
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
        return (token, expires);
    }
}

public static class Caller
{
    public static string? UnitId(this ClaimsPrincipal user) => user.FindFirst(TokenIssuer.UnitClaim)?.Value;
    public static bool IsAdmin(this ClaimsPrincipal user) => user.IsInRole(Roles.Admin);

    /// <summary>Whether the caller may see and change bookings of <paramref name="unitId"/>.</summary>
    public static bool MayActFor(this ClaimsPrincipal user, string unitId) => user.IsAdmin() || user.UnitId() == unitId;
}

using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using RedEducation.Contracts;
using RedEducation.Server.Auth;

namespace RedEducation.Server.Api;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string Role, string? UnitId, IReadOnlyList<string>? VenueIds, string DisplayName);

/// <summary>Who the caller is, as the account stands now (venue bindings may have changed since sign-in).</summary>
public sealed record MeDto(string Username, string Role, string DisplayName, string? UnitId, IReadOnlyList<string> VenueIds);

public static class AuthEndpoints
{
    public static void MapAuth(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", SignInAsync).RequireRateLimiting(RequestLimits.SignIn).AllowAnonymous();
        api.MapGet("/me", MeAsync).RequireAuthorization();
    }

    private static async Task<IResult> SignInAsync(TokenRequest body, IGrainFactory grains, IPasswordHasher<Account> hasher, TokenIssuer issuer)
    {
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password) || body.Username.Length > 128 || body.Password.Length > 256)
        {
            return Problems.Result("invalid-credentials");
        }
        var account = await grains.GetGrain<IAccountGrain>(body.Username).GetAsync();
        if (account is null || hasher.VerifyHashedPassword(account, account.PasswordHash, body.Password) == PasswordVerificationResult.Failed || account.Disabled)
        {
            return Problems.Result("invalid-credentials");
        }
        var (token, expires) = issuer.Issue(account);
        return TypedResults.Ok(new TokenResponse(token, expires, account.Role, account.UnitId,
            account.Role == Roles.Staff ? account.VenueIds : null, account.DisplayName));
    }

    private static async Task<IResult> MeAsync(ClaimsPrincipal user, IGrainFactory grains) =>
        await grains.GetGrain<IAccountGrain>(user.FindFirstValue("sub") ?? "").GetAsync() is { } a
            ? TypedResults.Ok(new MeDto(a.Username, a.Role, a.DisplayName, a.UnitId, a.VenueIds))
            : Problems.Result("unauthorized");
}

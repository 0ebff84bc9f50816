using Microsoft.AspNetCore.Identity;
using RedEducation.Contracts;
using RedEducation.Server.Auth;

namespace RedEducation.Server.Api;

public sealed record TokenRequest(string? Username, string? Password);

public sealed record TokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string Role, string? UnitId, IReadOnlyList<string>? VenueIds, string DisplayName);

public static class AuthEndpoints
{
    public static void MapAuth(this RouteGroupBuilder api)
    {
        api.MapPost("/auth/token", SignInAsync).RequireRateLimiting("sign-in").AllowAnonymous();
    }

    private static async Task<IResult> SignInAsync(TokenRequest body, IGrainFactory grains, IPasswordHasher<Account> hasher, TokenIssuer issuer)
    {
        if (string.IsNullOrEmpty(body.Username) || string.IsNullOrEmpty(body.Password) || body.Username.Length > 128 || body.Password.Length > 256)
        {
            return Problems.Result("invalid-credentials");
        }
        var account = await grains.GetGrain<IAccountGrain>(body.Username).GetAsync();
        if (account is null || hasher.VerifyHashedPassword(account, account.PasswordHash, body.Password) == PasswordVerificationResult.Failed)
        {
            return Problems.Result("invalid-credentials");
        }
        var (token, expires) = issuer.Issue(account);
        return TypedResults.Ok(new TokenResponse(token, expires, account.Role, account.UnitId,
            account.Role == Roles.Staff ? account.VenueIds : null, account.DisplayName));
    }
}

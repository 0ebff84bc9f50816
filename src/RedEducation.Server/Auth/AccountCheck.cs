using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using RedEducation.Contracts;

namespace RedEducation.Server.Auth;

/// <summary>
/// Checks every bearer token against its account as it is now: a disabled account, or one whose password was reset
/// after the token was issued, is refused on its next request, and a staff member's venues are the current bindings,
/// not those at sign-in. The account comes from <see cref="AccountMemory"/>, which reads the account grain at most every
/// few seconds per account and at once after a change made through this process.
/// </summary>
internal static class AccountCheck
{
    public static async Task OnTokenValidatedAsync(TokenValidatedContext context)
    {
        var principal = context.Principal;
        var username = principal?.FindFirstValue("sub");
        var accounts = context.HttpContext.RequestServices.GetRequiredService<AccountMemory>();
        var account = username is null ? null : await accounts.GetAsync(username);
        if (principal is null || account is null || account.Disabled || (account.Stamp ?? "") != (principal.FindFirstValue(TokenIssuer.StampClaim) ?? ""))
        {
            context.Fail("the account is disabled, gone, or its password was reset after this token was issued");
            return;
        }
        var venues = principal.FindAll(TokenIssuer.VenueClaim).Select(c => c.Value);
        if (venues.SequenceEqual(account.VenueIds, StringComparer.Ordinal))
        {
            // The usual case: the bindings are those the token was issued with, and the principal is already this request's own.
            return;
        }
        var claims = principal.Claims
            .Where(c => c.Type != TokenIssuer.VenueClaim)
            .Select(c => new Claim(c.Type, c.Value))
            .Concat(account.VenueIds.Select(v => new Claim(TokenIssuer.VenueClaim, v)));
        context.Principal = new ClaimsPrincipal(new ClaimsIdentity(claims, context.Scheme.Name, "sub", "role"));
    }
}

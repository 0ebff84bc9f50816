using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace RedEducation.Server.Auth;

/// <summary>
/// Bearer-token validation that remembers the tokens it has validated, until they expire. A desk sends the same token
/// with every scan, and checking its signature and parsing its claims again each time was a tenth of what the check-in
/// endpoint itself cost. Only the exact text of a token that passed full validation is found here, and only while
/// now is before its expiry (without the clock skew full validation allows), so no token is accepted that full
/// validation would refuse. Tokens are signed with one key for the life of the process, so nothing else can make a
/// validated token invalid.
/// </summary>
internal sealed class RememberingTokenHandler(TimeProvider clock) : JsonWebTokenHandler
{
    /// <summary>Far more signed-in users than a server has at once; when full it starts again empty.</summary>
    private const int Capacity = 4096;

    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);
    private int _added;

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        if (_validated.TryGetValue(token, out var known) && clock.GetUtcNow().UtcDateTime < known.ValidTo)
        {
            // A copy each time: whatever a request does to its principal stays with that request.
            return new TokenValidationResult { IsValid = true, ClaimsIdentity = known.Identity.Clone(), SecurityToken = known.Token };
        }
        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { } validated && result.ClaimsIdentity is { } identity)
        {
            if (Interlocked.Increment(ref _added) > Capacity)
            {
                _validated.Clear();
                Interlocked.Exchange(ref _added, 1);
            }
            _validated[token] = new Validated(identity.Clone(), validated, validated.ValidTo);
        }
        return result;
    }

    private sealed record Validated(ClaimsIdentity Identity, SecurityToken Token, DateTime ValidTo);
}

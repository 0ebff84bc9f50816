using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using RedEducation.Contracts;
using RedEducation.Domain.Accounts;
using RedEducation.Server.Audit;
using RedEducation.Server.Auth;

namespace RedEducation.Server.Api;

public sealed record AccountDto(string Username, string Role, string DisplayName, string? UnitId, IReadOnlyList<string> VenueIds, bool Disabled)
{
    public static AccountDto From(AccountSummary a) => new(a.Username, a.Role, a.DisplayName, a.UnitId, a.VenueIds, a.Disabled);
}

public sealed record NewAccountBody(string? Username, string? DisplayName, string? Role, string? Password, string? UnitId, IReadOnlyList<string>? VenueIds);

/// <summary>An administrator's change to an account; absent fields stay as they are.</summary>
public sealed record AccountPatchBody(string? DisplayName, IReadOnlyList<string>? VenueIds, string? Password, bool? Disabled);

/// <summary>The administrators' account API: list, read, create (unit, staff, planner) and change accounts.</summary>
public static class AccountEndpoints
{
    /// <summary>Roles an administrator may give a new account; further administrators come only from configuration.</summary>
    private static readonly string[] Creatable = [Roles.Unit, Roles.Staff, Roles.Planner];

    public static void MapAccounts(this RouteGroupBuilder api)
    {
        var accounts = api.MapGroup("/admin/accounts").RequireAuthorization(ApiSetup.AdminOnly);
        accounts.MapGet("/", ListAsync);
        accounts.MapGet("/{username}", GetAsync);
        accounts.MapPost("/", CreateAsync);
        accounts.MapPatch("/{username}", PatchAsync);
    }

    private static async Task<IResult> ListAsync(string? role, IGrainFactory grains)
    {
        if (role is not null && !Roles.All.Contains(role))
        {
            return Problems.Result("invalid-role", $"role is one of {string.Join(", ", Roles.All)}");
        }
        var accounts = await grains.GetGrain<IAccountIndexGrain>(AccountIndex.Key).ListAsync(role);
        return TypedResults.Ok(accounts.Select(AccountDto.From));
    }

    private static async Task<IResult> GetAsync(string username, IGrainFactory grains) =>
        await FindAsync(username, grains) is { } account ? TypedResults.Ok(AccountDto.From(account.Summary)) : Problems.Result("account-not-found");

    private static async Task<IResult> CreateAsync(NewAccountBody body, ClaimsPrincipal user, IGrainFactory grains, IPasswordHasher<Account> hasher, AuditLog audit)
    {
        var errors = new Dictionary<string, string[]>();
        if (!AccountRules.IsValidUsername(body.Username))
        {
            errors["username"] = ["3-64 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"];
        }
        if (!BookingEndpoints.IsName(body.DisplayName))
        {
            errors["displayName"] = ["required, 1-100 characters"];
        }
        if (body.Role == Roles.Unit && !AccountRules.IsValidUsername(body.UnitId))
        {
            errors["unitId"] = ["a unit account names its unit: 3-64 lower-case letters, digits, '.', '_' or '-'"];
        }
        if (body.Role != Roles.Unit && body.UnitId is not null)
        {
            errors["unitId"] = ["only unit accounts have a unit"];
        }
        if (body.Role == Roles.Staff ? body.VenueIds is not { Count: >= 1 and <= 64 } : body.VenueIds is { Count: > 0 })
        {
            errors["venueIds"] = [body.Role == Roles.Staff ? "a staff account works at 1-64 venues" : "only staff accounts have venues"];
        }
        if (errors.Count > 0)
        {
            return Problems.Result("validation-failed", "the account has invalid fields", errors);
        }
        if (body.Role is null || !Creatable.Contains(body.Role))
        {
            return Problems.Result("invalid-role", $"role is one of {string.Join(", ", Creatable)}");
        }
        var venueIds = body.Role == Roles.Staff ? body.VenueIds!.Distinct().ToList() : [];
        if (await UnknownVenuesAsync(venueIds, grains) is { } unknown)
        {
            return unknown;
        }
        if (AccountRules.PasswordProblem(body.Password, body.Username!) is { } weak)
        {
            return Problems.Result("weak-password", $"password: {weak}");
        }
        var account = new Account(body.Username!, "", body.Role, body.Role == Roles.Unit ? body.UnitId : null, venueIds, body.DisplayName!.Trim());
        account = account with { PasswordHash = hasher.HashPassword(account, body.Password!) };
        if (!await grains.GetGrain<IAccountGrain>(account.Username).CreateAsync(account))
        {
            return Problems.Result("username-taken");
        }
        await audit.RecordAsync(user, AuditActions.AccountCreate, account.Username, AuditLog.Summarize(account.Summary));
        return TypedResults.Created($"/api/admin/accounts/{account.Username}", AccountDto.From(account.Summary));
    }

    private static async Task<IResult> PatchAsync(
        string username, AccountPatchBody body, ClaimsPrincipal user, IGrainFactory grains, IPasswordHasher<Account> hasher, AuditLog audit, AccountMemory accounts)
    {
        if (await FindAsync(username, grains) is not { } account)
        {
            return Problems.Result("account-not-found");
        }
        var errors = new Dictionary<string, string[]>();
        if (body is { DisplayName: null, VenueIds: null, Password: null, Disabled: null })
        {
            errors["body"] = ["give at least one of displayName, venueIds, password, disabled"];
        }
        if (body.DisplayName is not null && !BookingEndpoints.IsName(body.DisplayName))
        {
            errors["displayName"] = ["1-100 characters"];
        }
        if (body.VenueIds is not null && (account.Role != Roles.Staff || body.VenueIds.Count is < 1 or > 64))
        {
            errors["venueIds"] = [account.Role == Roles.Staff ? "a staff account works at 1-64 venues" : "only staff accounts have venues"];
        }
        if (body.Disabled == true && account.Username == user.FindFirstValue("sub"))
        {
            errors["disabled"] = ["an administrator cannot disable their own account"];
        }
        if (errors.Count > 0)
        {
            return Problems.Result("validation-failed", "the change has invalid fields", errors);
        }
        var venueIds = body.VenueIds?.Distinct().ToList();
        if (venueIds is not null && await UnknownVenuesAsync(venueIds, grains) is { } unknown)
        {
            return unknown;
        }
        if (body.Password is not null && AccountRules.PasswordProblem(body.Password, account.Username) is { } weak)
        {
            return Problems.Result("weak-password", $"password: {weak}");
        }
        var change = new AccountChange(body.DisplayName?.Trim(), venueIds, body.Password is null ? null : hasher.HashPassword(account, body.Password), body.Disabled);
        var changed = await grains.GetGrain<IAccountGrain>(account.Username).UpdateAsync(change);
        accounts.Forget(account.Username);
        if (changed is null)
        {
            return Problems.Result("account-not-found");
        }
        // The password itself never reaches the log: only that it was reset.
        var summary = AuditLog.Summarize(body with { Password = null }) + (body.Password is null ? "" : " password reset");
        await audit.RecordAsync(user, AuditActions.AccountUpdate, account.Username, summary);
        return TypedResults.Ok(AccountDto.From(changed.Summary));
    }

    private static Task<Account?> FindAsync(string username, IGrainFactory grains) =>
        AccountRules.IsValidUsername(username) ? grains.GetGrain<IAccountGrain>(username).GetAsync() : Task.FromResult<Account?>(null);

    private static async Task<IResult?> UnknownVenuesAsync(IReadOnlyList<string> venueIds, IGrainFactory grains)
    {
        var unknown = new List<string>();
        foreach (var id in venueIds)
        {
            if (await VenueEndpoints.FindAsync(id, grains) is null)
            {
                // JSON may carry a null entry even where the type says otherwise.
                unknown.Add(id is null ? "null" : id.Length > 64 ? id[..64] + "…" : id);
            }
        }
        return unknown.Count == 0 ? null : Problems.Result("unknown-venue", $"no such venue: {string.Join(", ", unknown)}");
    }
}

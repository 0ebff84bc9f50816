namespace RedEducation.Contracts;

/// <summary>
/// A sign-in account. Key: the user name. <see cref="Account.Stamp"/> changes when the password is reset or the account
/// is disabled; tokens carry the stamp they were issued under, so both end every token issued before.
/// </summary>
public interface IAccountGrain : IGrainWithStringKey
{
    Task<Account?> GetAsync();

    /// <summary>Creates the account if it does not exist; returns false when it already did.</summary>
    Task<bool> CreateAsync(Account account);

    /// <summary>Applies an administrator's change; returns the account as it now is, or null when there is none.</summary>
    Task<Account?> UpdateAsync(AccountChange change);

    /// <summary>Puts the account into the account index (for accounts stored before the index existed); no-op when absent.</summary>
    Task IndexAsync();
}

/// <summary>Every account, as the administrators' list shows it. Key: <see cref="AccountIndex.Key"/>.</summary>
public interface IAccountIndexGrain : IGrainWithStringKey
{
    /// <summary>Adds or replaces the entry of one account; called by that account's grain after each change it stores.</summary>
    Task PutAsync(AccountSummary summary);

    /// <summary>The accounts in user-name order, of one role or all when <paramref name="role"/> is null.</summary>
    Task<IReadOnlyList<AccountSummary>> ListAsync(string? role);
}

public static class AccountIndex
{
    public const string Key = "accounts";
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Unit = "unit";
    public const string Staff = "staff";
    public const string Planner = "planner";

    public static readonly IReadOnlyList<string> All = [Admin, Unit, Staff, Planner];
}

[GenerateSerializer, Immutable, Alias("redu.Account")]
public sealed record Account(
    [property: Id(0)] string Username,
    [property: Id(1)] string PasswordHash,
    [property: Id(2)] string Role,
    [property: Id(3)] string? UnitId,
    [property: Id(4)] IReadOnlyList<string> VenueIds,
    [property: Id(5)] string DisplayName,
    [property: Id(6)] bool Disabled = false,
    [property: Id(7)] string? Stamp = null)
{
    /// <summary>What the account index keeps of it: everything but the password hash and the stamp.</summary>
    public AccountSummary Summary => new(Username, Role, DisplayName, UnitId, VenueIds, Disabled);
}

/// <summary>An administrator's change to an account; null fields stay as they are. The password arrives already hashed.</summary>
[GenerateSerializer, Immutable, Alias("redu.AccountChange")]
public sealed record AccountChange(
    [property: Id(0)] string? DisplayName,
    [property: Id(1)] IReadOnlyList<string>? VenueIds,
    [property: Id(2)] string? PasswordHash,
    [property: Id(3)] bool? Disabled);

[GenerateSerializer, Immutable, Alias("redu.AccountSummary")]
public sealed record AccountSummary(
    [property: Id(0)] string Username,
    [property: Id(1)] string Role,
    [property: Id(2)] string DisplayName,
    [property: Id(3)] string? UnitId,
    [property: Id(4)] IReadOnlyList<string> VenueIds,
    [property: Id(5)] bool Disabled)
{
    /// <summary>Equal field by field, venue lists by their contents (records compare lists by reference).</summary>
    public bool SameAs(AccountSummary? other) =>
        other is not null && Username == other.Username && Role == other.Role && DisplayName == other.DisplayName
        && UnitId == other.UnitId && Disabled == other.Disabled && VenueIds.SequenceEqual(other.VenueIds);
}

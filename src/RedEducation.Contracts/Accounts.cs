namespace RedEducation.Contracts;

/// <summary>A sign-in account. Key: the user name.</summary>
public interface IAccountGrain : IGrainWithStringKey
{
    Task<Account?> GetAsync();

    /// <summary>Creates the account if it does not exist; returns false when it already did.</summary>
    Task<bool> CreateAsync(Account account);
}

public static class Roles
{
    public const string Admin = "admin";
    public const string Unit = "unit";
    public const string Staff = "staff";
    public const string Planner = "planner";
}

[GenerateSerializer, Immutable, Alias("redu.Account")]
public sealed record Account(
    [property: Id(0)] string Username,
    [property: Id(1)] string PasswordHash,
    [property: Id(2)] string Role,
    [property: Id(3)] string? UnitId,
    [property: Id(4)] IReadOnlyList<string> VenueIds,
    [property: Id(5)] string DisplayName);

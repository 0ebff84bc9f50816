using RedEducation.Contracts;

namespace RedEducation.Server.Api;

/// <summary>
/// The names people know units by, taken from the units' accounts: a desk's list and a printed ticket should say
/// "沈阳市公安局", not "unit-sy-police". Where several accounts act for one unit, the first enabled one by username names it.
/// </summary>
internal static class UnitNames
{
    public static async Task<IReadOnlyDictionary<string, string>> ListAsync(IGrainFactory grains)
    {
        var units = await grains.GetGrain<IAccountIndexGrain>(AccountIndex.Key).ListAsync(Roles.Unit);
        return units
            .Where(a => a.UnitId is not null && !string.IsNullOrWhiteSpace(a.DisplayName))
            .OrderBy(a => a.Disabled).ThenBy(a => a.Username, StringComparer.Ordinal)
            .GroupBy(a => a.UnitId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().DisplayName, StringComparer.Ordinal);
    }

    /// <summary>The unit's name, or its id when no account names it.</summary>
    public static string Of(this IReadOnlyDictionary<string, string> names, string unitId) => names.GetValueOrDefault(unitId) ?? unitId;
}

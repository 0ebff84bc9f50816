using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RedEducation.Contracts;
using RedEducation.Domain.Venues;

namespace RedEducation.Server.Hosting;

/// <summary>
/// Seeds venues from the venue file (without overwriting an administrator's edits) and the accounts: the demo accounts
/// in the embedded default, only the first administrator in production.
/// </summary>
internal sealed partial class Seeder(
    IGrainFactory grains,
    IOptions<RedEducationOptions> options,
    IPasswordHasher<Account> hasher,
    ILogger<Seeder> logger) : IHostedService
{
    public static readonly (string Id, string Name)[] DemoUnits =
    [
        ("unit1", "沈阳市公安局皇姑分局 Shenyang Public Security Bureau, Huanggu Branch"),
        ("unit2", "大连市中级人民法院 Dalian Intermediate People's Court"),
        ("unit3", "锦州市第一中学 Jinzhou No. 1 High School"),
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var venues = VenueCatalogFile.Parse(await File.ReadAllTextAsync(options.Value.VenueFilePath, cancellationToken));
        var catalog = grains.GetGrain<ICatalogGrain>(Catalogs.Venues);
        foreach (var venue in venues)
        {
            await grains.GetGrain<IVenueGrain>(venue.Id).SeedAsync(venue);
            await catalog.AddAsync(venue.Id);
        }
        LogVenuesSeeded(logger, venues.Count);
        await SeedCampaignRouteAsync(venues);

        if (options.Value.SeedDemoAccounts)
        {
            await CreateAsync("admin", "demo", Roles.Admin, null, [], "管理员 Administrator");
            await CreateAsync("planner", "demo", Roles.Planner, null, [], "规划员 Planner");
            foreach (var (id, name) in DemoUnits)
            {
                await CreateAsync(id, "demo", Roles.Unit, id, [], name);
            }
            foreach (var venue in venues)
            {
                // The A and B posts of a venue's desk are two accounts, so every admission names who made it.
                await CreateAsync($"staff-{venue.Id}", "demo", Roles.Staff, null, [venue.Id], $"{venue.Name.Zh} A岗 A post");
                await CreateAsync($"staff-{venue.Id}-b", "demo", Roles.Staff, null, [venue.Id], $"{venue.Name.Zh} B岗 B post");
            }
        }
        else if (!string.IsNullOrEmpty(options.Value.AdminPassword))
        {
            await CreateAsync("admin", options.Value.AdminPassword, Roles.Admin, null, [], "管理员 Administrator");
        }
        else
        {
            LogNoAdmin(logger);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>The Liaoshen Campaign route, the first study route: its stops in historical order.</summary>
    private async Task SeedCampaignRouteAsync(IReadOnlyList<VenueProfile> venues)
    {
        // Create-if-absent inside the grain: silos starting together never overwrite a route a planner has edited since.
        var stops = venues.Where(v => v.CampaignStop is not null).OrderBy(v => v.CampaignStop!.Order).Select(v => v.Id).ToList();
        await grains.GetGrain<IStudyRouteGrain>(StudyRoutes.Liaoshen).CreateAsync(new StudyRoute(StudyRoutes.Liaoshen, "重走辽沈战役之路 Retracing the Liaoshen Campaign", stops,
            "1948-09-12 — 1948-11-02", "system", SharedWithUnits: true, DateTimeOffset.UnixEpoch));
        await grains.GetGrain<ICatalogGrain>(Catalogs.StudyRoutes).AddAsync(StudyRoutes.Liaoshen);
    }

    private async Task CreateAsync(string username, string password, string role, string? unitId, string[] venueIds, string displayName)
    {
        var grain = grains.GetGrain<IAccountGrain>(username);
        if (await grain.GetAsync() is not null)
        {
            // Accounts stored before the account index existed get their entry now (a no-op once they have it).
            await grain.IndexAsync();
            return;
        }
        var account = new Account(username, "", role, unitId, venueIds, displayName);
        await grain.CreateAsync(account with { PasswordHash = hasher.HashPassword(account, password) });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} venues")]
    private static partial void LogVenuesSeeded(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No demo accounts and no RedEducation:AdminPassword: nobody can sign in as administrator")]
    private static partial void LogNoAdmin(ILogger logger);
}

using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using RedEducation.Contracts;
using RedEducation.Server.Tests.Infrastructure;
using static RedEducation.Server.Tests.Infrastructure.Api;
using static RedEducation.Server.Tests.Infrastructure.SecurityServer;

namespace RedEducation.Server.Tests;

/// <summary>The administrators' account API: making, listing and changing accounts, and what a change does to sign-in.</summary>
[Collection(SecuritySuite.Name)]
public sealed class AccountTests(SecurityServer server)
{
    private const string Venue = "liaoshen-memorial";
    private const string OtherVenue = "leifeng-memorial";

    [Fact]
    public async Task PostAccount_Staff_SignsInAndWorksOnlyAtItsVenue()
    {
        var created = await server.CreateAccountAsync("desk", Roles.Staff, venueIds: [Venue]);
        using var staff = await server.FreshClientAsync(created.Str("username"), StrongPassword);

        var me = await staff.GetObjectAsync("/api/me");

        Assert.Equal("staff", me.Str("role"));
        Assert.Equal([Venue], me["venueIds"]!.AsArray().Select(v => (string?)v));
        Assert.False((bool)created["disabled"]!);
        var date = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        await staff.GetAsync($"/api/venues/{Venue}/occupancy?date={date}", Ct).OkAsync();
        await staff.GetAsync($"/api/venues/{OtherVenue}/occupancy?date={date}", Ct).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
    }

    [Fact]
    public async Task PostAccount_Unit_BooksForItsOwnUnit()
    {
        var unitId = $"unit-{Guid.NewGuid():N}"[..20];
        var created = await server.CreateAccountAsync("school", Roles.Unit, unitId: unitId);
        using var unit = await server.FreshClientAsync(created.Str("username"), StrongPassword);

        Assert.Equal(unitId, (await unit.GetObjectAsync("/api/me")).Str("unitId"));
        var booking = await unit.BookAsync(BookingBody(server.NextDay(), headcount: 10));
        Assert.Equal(unitId, booking.Str("unitId"));
    }

    [Fact]
    public async Task PostAccount_Planner_IsListedUnderItsRoleOnly()
    {
        using var admin = await server.ClientForAsync("admin");
        var created = await server.CreateAccountAsync("planner", Roles.Planner);

        var planners = await admin.GetArrayAsync("/api/admin/accounts?role=planner");
        var units = await admin.GetArrayAsync("/api/admin/accounts?role=unit");
        var all = await admin.GetArrayAsync("/api/admin/accounts");

        Assert.Contains(planners, a => a.Str("username") == created.Str("username"));
        Assert.All(planners, a => Assert.Equal("planner", a.Str("role")));
        Assert.DoesNotContain(units, a => a.Str("username") == created.Str("username"));
        Assert.Contains(units, a => a.Str("username") == "unit1" && a.Str("unitId") == "unit1");
        // The seeded accounts are listed, and nothing of a password leaves the server.
        Assert.Contains(all, a => a.Str("username") == "admin");
        Assert.Contains(all, a => a.Str("username") == $"staff-{Venue}-b");
        Assert.DoesNotContain("password", all.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(created, await admin.GetObjectAsync($"/api/admin/accounts/{created.Str("username")}"), JsonNode.DeepEquals);
    }

    [Fact]
    public async Task PostAccount_Password_IsStoredOnlyAsASaltedHash()
    {
        var created = await server.CreateAccountAsync("hashed", Roles.Planner);
        var twin = await server.CreateAccountAsync("hashed", Roles.Planner);

        var grains = server.Services.GetRequiredService<IGrainFactory>();
        var account = (await grains.GetGrain<IAccountGrain>(created.Str("username")).GetAsync())!;
        var other = (await grains.GetGrain<IAccountGrain>(twin.Str("username")).GetAsync())!;

        Assert.DoesNotContain(StrongPassword, account.PasswordHash, StringComparison.Ordinal);
        Assert.NotEqual(account.PasswordHash, other.PasswordHash);
        var hasher = server.Services.GetRequiredService<IPasswordHasher<Account>>();
        Assert.Equal(PasswordVerificationResult.Success, hasher.VerifyHashedPassword(account, account.PasswordHash, StrongPassword));
    }

    [Theory]
    [InlineData("unit1")]
    [InlineData("admin")]
    public async Task PostAccount_UsernameTaken_Returns409AndTheAccountIsUnchanged(string username)
    {
        using var admin = await server.ClientForAsync("admin");
        var before = await admin.GetObjectAsync($"/api/admin/accounts/{username}");

        await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/accounts", AccountBody(username, Roles.Planner)).ProblemAsync(HttpStatusCode.Conflict, "username-taken");

        Assert.Equal(before, await admin.GetObjectAsync($"/api/admin/accounts/{username}"), JsonNode.DeepEquals);
        using var signIn = await server.SignInAsync(username, RedEducationServer.Password);
        Assert.Equal(HttpStatusCode.OK, signIn.StatusCode);
    }

    [Fact]
    public async Task PostAccount_UnknownVenue_Returns422AndNothingIsMade()
    {
        using var admin = await server.ClientForAsync("admin");
        var body = AccountBody($"ghost-{Guid.NewGuid():N}"[..18], Roles.Staff, venueIds: [Venue, "no-such-venue"]);

        var problem = await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/accounts", body).ProblemAsync((HttpStatusCode)422, "unknown-venue");

        Assert.Contains("no-such-venue", problem.Str("detail"), StringComparison.Ordinal);
        await admin.GetAsync($"/api/admin/accounts/{body.Str("username")}", Ct).ProblemAsync(HttpStatusCode.NotFound, "account-not-found");
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("root")]
    [InlineData("Unit")]
    [InlineData(null)]
    public async Task PostAccount_RoleNotUnitStaffOrPlanner_Returns422InvalidRole(string? role)
    {
        using var admin = await server.ClientForAsync("admin");
        var body = AccountBody($"role-{Guid.NewGuid():N}"[..17], role!);

        await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/accounts", body).ProblemAsync((HttpStatusCode)422, "invalid-role");

        await admin.GetAsync($"/api/admin/accounts/{body.Str("username")}", Ct).ProblemAsync(HttpStatusCode.NotFound, "account-not-found");
    }

    [Theory]
    [InlineData("")]
    [InlineData("short1!")]
    [InlineData("aaaaaaaaaaaaaaaa")]
    [InlineData("abababababab")]
    [InlineData("password123")]
    [InlineData("1234567890")]
    [InlineData("x-USERNAME-x-2026")]
    public async Task PostAccount_WeakPassword_Returns422WeakPassword(string password)
    {
        using var admin = await server.ClientForAsync("admin");
        var username = $"weak-{Guid.NewGuid():N}"[..17];
        var body = AccountBody(username, Roles.Planner, password: password.Replace("USERNAME", username, StringComparison.Ordinal));

        await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/accounts", body).ProblemAsync((HttpStatusCode)422, "weak-password");

        await admin.GetAsync($"/api/admin/accounts/{username}", Ct).ProblemAsync(HttpStatusCode.NotFound, "account-not-found");
    }

    [Theory]
    [InlineData("Upper-Case", "planner", null, null, "username")]
    [InlineData("a b c", "planner", null, null, "username")]
    [InlineData("ok-unit-name", "unit", null, null, "unitId")]
    [InlineData("ok-staff-name", "staff", null, null, "venueIds")]
    [InlineData("ok-planner-name", "planner", null, "liaoshen-memorial", "venueIds")]
    [InlineData("ok-planner-name", "planner", "unit1", null, "unitId")]
    public async Task PostAccount_FieldsThatDoNotFitTheRole_Returns400NamingTheField(string username, string role, string? unitId, string? venueId, string field)
    {
        using var admin = await server.ClientForAsync("admin");
        var body = AccountBody(username, role, unitId, venueId is null ? null : [venueId]);

        await admin.SendJsonAsync(HttpMethod.Post, "/api/admin/accounts", body).ValidationProblemAsync(field);
    }

    [Fact]
    public async Task PatchAccount_Disabled_EndsItsTokensAtOnceAndRefusesSignIn()
    {
        using var admin = await server.ClientForAsync("admin");
        var created = await server.CreateAccountAsync("leaver", Roles.Staff, venueIds: [Venue]);
        var username = created.Str("username");
        using var staff = await server.FreshClientAsync(username, StrongPassword);
        await staff.GetObjectAsync("/api/me");

        var changed = await admin.SendJsonAsync(HttpMethod.Patch, $"/api/admin/accounts/{username}", new JsonObject { ["disabled"] = true }).OkAsync();

        Assert.True((bool)changed["disabled"]!);
        await staff.GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        await server.SignInAsync(username, StrongPassword).ProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        // Enabled again, the account signs in anew; the token from before the disabling stays dead.
        await admin.SendJsonAsync(HttpMethod.Patch, $"/api/admin/accounts/{username}", new JsonObject { ["disabled"] = false }).OkAsync();
        using var again = await server.FreshClientAsync(username, StrongPassword);
        await again.GetObjectAsync("/api/me");
        await staff.GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task PatchAccount_PasswordReset_OnlyTheNewPasswordWorksAndOldTokensEnd()
    {
        using var admin = await server.ClientForAsync("admin");
        var username = (await server.CreateAccountAsync("forgetful", Roles.Planner)).Str("username");
        using var before = await server.FreshClientAsync(username, StrongPassword);
        const string NewPassword = "辽沈战役纪念馆-1948-new";

        await admin.SendJsonAsync(HttpMethod.Patch, $"/api/admin/accounts/{username}", new JsonObject { ["password"] = NewPassword }).OkAsync();

        await server.SignInAsync(username, StrongPassword).ProblemAsync(HttpStatusCode.Unauthorized, "invalid-credentials");
        await before.GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
        using var after = await server.FreshClientAsync(username, NewPassword);
        Assert.Equal(username, (await after.GetObjectAsync("/api/me")).Str("username"));
    }

    [Fact]
    public async Task PatchAccount_WeakNewPassword_Returns422AndTheOldOneStillWorks()
    {
        using var admin = await server.ClientForAsync("admin");
        var username = (await server.CreateAccountAsync("keeper", Roles.Planner)).Str("username");

        await admin.SendJsonAsync(HttpMethod.Patch, $"/api/admin/accounts/{username}", new JsonObject { ["password"] = "123" }).ProblemAsync((HttpStatusCode)422, "weak-password");

        using var still = await server.FreshClientAsync(username, StrongPassword);
    }

    [Fact]
    public async Task PatchAccount_StaffVenues_TakeEffectOnTheExistingToken()
    {
        using var admin = await server.ClientForAsync("admin");
        var username = (await server.CreateAccountAsync("mover", Roles.Staff, venueIds: [Venue])).Str("username");
        using var staff = await server.FreshClientAsync(username, StrongPassword);
        var date = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var changed = await admin.SendJsonAsync(HttpMethod.Patch, $"/api/admin/accounts/{username}",
            new JsonObject { ["venueIds"] = new JsonArray(OtherVenue), ["displayName"] = "雷锋纪念馆 C岗" }).OkAsync();

        Assert.Equal([OtherVenue], changed["venueIds"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("雷锋纪念馆 C岗", changed.Str("displayName"));
        await staff.GetAsync($"/api/venues/{Venue}/occupancy?date={date}", Ct).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await staff.GetAsync($"/api/venues/{OtherVenue}/occupancy?date={date}", Ct).OkAsync();
    }

    [Fact]
    public async Task PatchAccount_Refused_ChangesNothing()
    {
        using var admin = await server.ClientForAsync("admin");
        var unit = await server.CreateAccountAsync("unchanged", Roles.Unit, unitId: "unit-unchanged");
        var path = $"/api/admin/accounts/{unit.Str("username")}";

        await admin.SendJsonAsync(HttpMethod.Patch, path, new JsonObject { ["venueIds"] = new JsonArray(Venue) }).ValidationProblemAsync("venueIds");
        await admin.SendJsonAsync(HttpMethod.Patch, path, new JsonObject()).ValidationProblemAsync("body");
        await admin.SendJsonAsync(HttpMethod.Patch, path, new JsonObject { ["displayName"] = "" }).ValidationProblemAsync("displayName");
        await admin.SendJsonAsync(HttpMethod.Patch, "/api/admin/accounts/admin", new JsonObject { ["disabled"] = true }).ValidationProblemAsync("disabled");
        await admin.SendJsonAsync(HttpMethod.Patch, "/api/admin/accounts/nobody-here", new JsonObject { ["disabled"] = true }).ProblemAsync(HttpStatusCode.NotFound, "account-not-found");

        Assert.Equal(unit, await admin.GetObjectAsync(path), JsonNode.DeepEquals);
        await admin.GetObjectAsync("/api/me");
    }

    [Theory]
    [InlineData("unit1")]
    [InlineData("planner")]
    [InlineData($"staff-{Venue}")]
    public async Task AdminAccountRoutes_NotAdmin_Get403AndMakeNothing(string user)
    {
        using var client = await server.ClientForAsync(user);
        var body = AccountBody($"sneaky-{Guid.NewGuid():N}"[..19], Roles.Planner);

        await client.GetAsync("/api/admin/accounts", Ct).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await client.SendJsonAsync(HttpMethod.Post, "/api/admin/accounts", body).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");
        await client.SendJsonAsync(HttpMethod.Patch, "/api/admin/accounts/unit2", new JsonObject { ["disabled"] = true }).ProblemAsync(HttpStatusCode.Forbidden, "forbidden");

        using var admin = await server.ClientForAsync("admin");
        await admin.GetAsync($"/api/admin/accounts/{body.Str("username")}", Ct).ProblemAsync(HttpStatusCode.NotFound, "account-not-found");
        Assert.False((bool)(await admin.GetObjectAsync("/api/admin/accounts/unit2"))["disabled"]!);
    }

    [Theory]
    [InlineData("admin", "admin", null)]
    [InlineData("unit2", "unit", "unit2")]
    [InlineData("planner", "planner", null)]
    public async Task GetMe_SignedIn_ReturnsTheAccount(string username, string role, string? unitId)
    {
        using var client = await server.ClientForAsync(username);

        var me = await client.GetObjectAsync("/api/me");

        Assert.Equal(username, me.Str("username"));
        Assert.Equal(role, me.Str("role"));
        Assert.Equal(unitId, (string?)me["unitId"]);
        Assert.False(string.IsNullOrEmpty(me.Str("displayName")));
    }

    [Fact]
    public async Task GetMe_Anonymous_Returns401()
    {
        using var client = server.Anonymous();

        await client.GetAsync("/api/me", Ct).ProblemAsync(HttpStatusCode.Unauthorized, "unauthorized");
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Cli.Tests;

public sealed class AdminAccountCommandTests(CliServer server)
{
    private const string NewPassword = "long-enough-secret-1";

    [Fact]
    public async Task AccountsCreate_StaffAccount_IsListedAndCanSignInAndCheckInAtItsVenue()
    {
        var user = "desk-" + Guid.NewGuid().ToString("N")[..8];

        var create = await server.RunAsAsync("admin", "admin", "accounts", "create", user, "--role", "staff", "--name", "检票员 李", "--venues", CliServer.OtherVenue,
            "--password", NewPassword);
        var list = await server.RunAsAsync("admin", "admin", "accounts", "list", "--role", "staff");
        var dir = server.NewConfigDir();
        var login = await server.RunInAsync(dir, "login", user, "--password", NewPassword);
        var whoami = await server.RunInAsync(dir, "whoami", "--json");

        Assert.True(create.Exit == 0, create.ToString());
        Assert.Contains($"已创建 created: {user} (staff)", create.Out, StringComparison.Ordinal);
        Assert.Contains(user, list.Out, StringComparison.Ordinal);
        Assert.True(login.Exit == 0, login.ToString());
        using var claims = JsonDocument.Parse(whoami.Out);
        Assert.Equal([CliServer.OtherVenue], claims.RootElement.GetProperty("venueIds").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task AccountsSet_Disable_TheAccountCanNoLongerSignInAndEnableLetsItBackIn()
    {
        var user = "plan-" + Guid.NewGuid().ToString("N")[..8];
        var create = await server.RunAsAsync("admin", "admin", "accounts", "create", user, "--role", "planner", "--name", "规划员", "--password", NewPassword);
        Assert.True(create.Exit == 0, create.ToString());

        var disable = await server.RunAsAsync("admin", "admin", "accounts", "set", user, "--disable");
        var refused = await server.RunAnonymousAsync("login", user, "--password", NewPassword);
        var enable = await server.RunAsAsync("admin", "admin", "accounts", "set", user, "--enable", "--json");
        var again = await server.RunAnonymousAsync("login", user, "--password", NewPassword);

        Assert.True(disable.Exit == 0, disable.ToString());
        Assert.Contains("已停用 disabled", disable.Out, StringComparison.Ordinal);
        Assert.Equal(1, refused.Exit);
        Assert.False(JsonNode.Parse(enable.Out)!["disabled"]!.GetValue<bool>());
        Assert.True(again.Exit == 0, again.ToString());
    }

    [Fact]
    public async Task AccountsCreate_ShortPassword_ExitsOneWeakPasswordAndNoAccountExists()
    {
        var user = "weak-" + Guid.NewGuid().ToString("N")[..8];

        var run = await server.RunAsAsync("admin", "admin", "accounts", "create", user, "--role", "unit", "--name", "单位", "--unit", "unit-" + user, "--password", "short");
        var list = await server.RunAsAsync("admin", "admin", "accounts", "list", "--json");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("/problems/weak-password", run.Err, StringComparison.Ordinal);
        Assert.Contains("at least 10 characters", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain(user, list.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccountsSet_NothingToChange_ExitsTwo()
    {
        var run = await server.RunAsAsync("admin", "admin", "accounts", "set", "unit1");

        Assert.Equal(2, run.Exit);
        Assert.Contains("nothing to change", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Accounts_Unit_ExitsOneForbidden()
    {
        var run = await server.RunAsAsync("unit1", "admin", "accounts", "list");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("403", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_AfterAnAccountIsCreated_ListsWhoCreatedItAndFiltersByAction()
    {
        var user = "audit-" + Guid.NewGuid().ToString("N")[..8];
        var create = await server.RunAsAsync("admin", "admin", "accounts", "create", user, "--role", "planner", "--name", "审计", "--password", NewPassword);
        Assert.True(create.Exit == 0, create.ToString());

        var text = await server.RunAsAsync("admin", "admin", "audit", "--action", "account");
        var json = await server.RunAsAsync("admin", "admin", "audit", "--action", "venue", "--json");

        Assert.True(text.Exit == 0, text.ToString());
        Assert.Contains("account.create", text.Out, StringComparison.Ordinal);
        Assert.Contains(user, text.Out, StringComparison.Ordinal);
        Assert.Contains("admin (admin)", text.Out, StringComparison.Ordinal);
        Assert.True(json.Exit == 0, json.ToString());
        var venueChanges = JsonNode.Parse(json.Out)!["entries"]!.AsArray();
        Assert.NotEmpty(venueChanges); // the fixture widened two venues' caps as admin
        Assert.All(venueChanges, e => Assert.StartsWith("venue.", (string)e!["action"]!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Audit_BadDate_ExitsOneWithTheField()
    {
        var run = await server.RunAsAsync("admin", "admin", "audit", "--from", "yesterday");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("from:", run.Err, StringComparison.Ordinal);
    }
}

using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using RedEducation.Testing;

namespace RedEducation.Cli.Tests;

public sealed class AccountCommandTests(CliServer server)
{
    [Fact]
    public async Task Login_DemoUser_StoresTheTokenReadableByItsOwnerOnly()
    {
        var dir = server.NewConfigDir();

        var run = await server.RunInAsync(dir, "login", "unit3", "--password", CliServer.Password);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("已登录 signed in: unit3", run.Out, StringComparison.Ordinal);
        var tokenFile = Path.Combine(dir, "token");
        Assert.True(File.Exists(tokenFile));
        Assert.Equal(3, File.ReadAllText(tokenFile).Split('.').Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        }
    }

    [Fact]
    public async Task Login_WrongPassword_ExitsOneWithTheProblemTitleAndStoresNothing()
    {
        var dir = server.NewConfigDir();

        var run = await server.RunInAsync(dir, "login", "unit1", "--password", "not-the-password");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("Wrong user name or password", run.Err, StringComparison.Ordinal);
        Assert.Contains("/problems/invalid-credentials", run.Err, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir, "token")));
    }

    [Fact]
    public async Task Whoami_SignedInUnit_ShowsUserRoleAndUnit()
    {
        var run = await server.RunAsAsync("unit1", "whoami");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("用户 user: unit1", run.Out, StringComparison.Ordinal);
        Assert.Contains("角色 role: unit", run.Out, StringComparison.Ordinal);
        Assert.Contains("单位 unit:", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Whoami_Json_PrintsParseableClaims()
    {
        var run = await server.RunAsAsync("staff-" + CliServer.Venue, "whoami", "--json");

        Assert.True(run.Exit == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        Assert.Equal("staff", json.RootElement.GetProperty("role").GetString());
        Assert.Contains(CliServer.Venue, json.RootElement.GetProperty("venueIds").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task Logout_SignedIn_RemovesTheTokenAndWhoamiSaysNotSignedIn()
    {
        var dir = server.NewConfigDir();
        File.WriteAllText(Path.Combine(dir, "token"), File.ReadAllText(Path.Combine(await server.ConfigDirForAsync("unit2"), "token")));

        var logout = await server.RunInAsync(dir, "logout");
        var whoami = await server.RunInAsync(dir, "whoami");

        Assert.True(logout.Exit == 0, logout.ToString());
        Assert.False(File.Exists(Path.Combine(dir, "token")));
        Assert.Equal(1, whoami.Exit);
        Assert.Contains("未登录 not signed in", whoami.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logout_Json_SaysWhetherATokenWasRemoved()
    {
        var dir = server.NewConfigDir();
        File.WriteAllText(Path.Combine(dir, "token"), File.ReadAllText(Path.Combine(await server.ConfigDirForAsync("unit2"), "token")));

        var first = await server.RunInAsync(dir, "logout", "--json");
        var second = await server.RunInAsync(dir, "logout", "--json");

        Assert.True(JsonDocument.Parse(first.Out).RootElement.GetProperty("signedOut").GetBoolean());
        Assert.False(JsonDocument.Parse(second.Out).RootElement.GetProperty("signedOut").GetBoolean());
    }

    [Fact]
    public async Task AnyCommand_ExpiredToken_ExitsOneAndSaysTheSignInExpiredAndHowToSignInAgain()
    {
        var dir = server.NewConfigDir();
        // A token the server itself signed, for unit1, that expired an hour ago.
        var key = new SymmetricSecurityKey(File.ReadAllBytes(Path.Combine(server.Root, "data", "keys", "token-signing.key")));
        var now = DateTime.UtcNow;
        File.WriteAllText(Path.Combine(dir, "token"), new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "rededucation",
            Audience = "rededucation",
            Subject = new ClaimsIdentity([new Claim("sub", "unit1"), new Claim("role", "unit")]),
            IssuedAt = now.AddHours(-13),
            NotBefore = now.AddHours(-13),
            Expires = now.AddHours(-1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        }));

        var run = await server.RunInAsync(dir, "bookings");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("登录已过期 your sign-in expired", run.Err, StringComparison.Ordinal);
        Assert.Contains("redu login unit1", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_TokenOfAnotherServer_ExitsOneAndSaysTheTokenIsNotAccepted()
    {
        var dir = server.NewConfigDir();
        var key = new SymmetricSecurityKey(new byte[32]);
        File.WriteAllText(Path.Combine(dir, "token"), new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "rededucation",
            Audience = "rededucation",
            Subject = new ClaimsIdentity([new Claim("sub", "unit1"), new Claim("role", "unit")]),
            Expires = DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        }));

        var run = await server.RunInAsync(dir, "bookings");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("does not accept the stored token", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_NobodyListening_ExitsThreeAndSaysItCannotReachTheServer()
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var unused = Ports.Free();

        var exit = await Cli.RunAsync(["venues", "--server", $"http://127.0.0.1:{unused}"], output, error, TestContext.Current.CancellationToken);

        Assert.Equal(3, exit);
        Assert.Contains("无法连接服务器 cannot reach the server", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_BadArguments_ExitsTwoWithUsage()
    {
        var run = await server.RunAnonymousAsync("availability", CliServer.Venue, "next-tuesday");

        Assert.Equal(2, run.Exit);
        Assert.Contains("YYYY-MM-DD", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bookings_NotSignedIn_ExitsOneAndSuggestsLogin()
    {
        var run = await server.RunAnonymousAsync("bookings");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("redu login", run.Err, StringComparison.Ordinal);
    }
}

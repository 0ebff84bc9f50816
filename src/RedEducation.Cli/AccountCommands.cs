using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

public static partial class Cli
{
    private static void AddAccountCommands(RootCommand root)
    {
        var user = Text("user", "用户名 user name, e.g. unit1");
        var password = new Option<string?>("--password", "-p") { Description = "密码 password (asked on the terminal if absent)" };
        var login = new Command("login", "登录并保存令牌 sign in and keep the token") { user, password };
        Handle(login, async (parsed, session) =>
        {
            var username = parsed.GetValue(user)!;
            var secret = parsed.GetValue(password) ?? ReadPassword(session, username);
            if (string.IsNullOrEmpty(secret))
            {
                throw new UsageException("需要密码 a password is required: --password, or type it at the prompt");
            }
            var reply = await session.PostAsync("api/auth/token", new { username, password = secret });
            var body = reply.Node;
            session.Tokens.Write(S(body["accessToken"]));
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            await session.Out.WriteLineAsync($"已登录 signed in: {username} ({S(body["role"])}{UnitSuffix(body["unitId"])})");
            await session.Out.WriteLineAsync($"有效期至 expires at: {S(body["expiresAt"])}");
            await session.Out.WriteLineAsync($"令牌 token saved in {session.Tokens.TokenPath}");
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(login);

        var logout = new Command("logout", "退出登录并删除令牌 forget the stored token");
        Handle(logout, async (_, session) =>
        {
            var existed = session.Tokens.Delete();
            await session.Out.WriteLineAsync(session.Json
                ? new JsonObject { ["signedOut"] = existed }.ToJsonString()
                : existed ? "已退出 signed out" : "未登录 not signed in");
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(logout);

        var whoami = new Command("whoami", "当前用户 who the stored token belongs to");
        Handle(whoami, async (_, session) =>
        {
            if (session.Tokens.Read() is not { } token || TokenStore.Claims(token) is not { } claims)
            {
                await session.Error.WriteLineAsync("未登录 not signed in: redu login <user>");
                return ExitCodes.Refused;
            }
            var expires = TokenStore.ExpiresAt(claims);
            var expired = expires is { } e && e <= DateTimeOffset.UtcNow;
            if (session.Json)
            {
                var view = new JsonObject
                {
                    ["username"] = S(claims["sub"]),
                    ["role"] = S(claims["role"]),
                    ["unitId"] = claims["unit"]?.DeepClone(),
                    ["venueIds"] = claims["venue"] switch { null => null, JsonArray a => a.DeepClone(), var one => new JsonArray(one.DeepClone()) },
                    ["expiresAt"] = expires?.ToString("O", CultureInfo.InvariantCulture),
                    ["expired"] = expired,
                };
                await session.Out.WriteLineAsync(view.ToJsonString());
                return expired ? ExitCodes.Refused : ExitCodes.Ok;
            }
            await session.Out.WriteLineAsync($"用户 user: {S(claims["sub"])}");
            await session.Out.WriteLineAsync($"角色 role: {S(claims["role"])}");
            if (claims["unit"] is { } unit)
            {
                await session.Out.WriteLineAsync($"单位 unit: {S(unit)}");
            }
            if (claims["venue"] is { } venues)
            {
                var list = venues is JsonArray array ? string.Join(", ", array.Select(S)) : S(venues);
                await session.Out.WriteLineAsync($"场馆 venues: {list}");
            }
            if (expires is { } at)
            {
                await session.Out.WriteLineAsync($"有效期至 expires at: {at.ToLocalTime():yyyy-MM-dd HH:mm zzz}{(expired ? "  已过期 EXPIRED" : "")}");
            }
            return expired ? ExitCodes.Refused : ExitCodes.Ok;
        });
        root.Subcommands.Add(whoami);
    }

    private static string UnitSuffix(JsonNode? unit) => unit is null ? "" : $", 单位 unit {S(unit)}";

    /// <summary>Asks for the password without echoing it; reads a plain line when input is not a terminal.</summary>
    private static string? ReadPassword(Session session, string username)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine();
        }
        session.Error.Write($"密码 password for {username}: ");
        var password = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            if (key.Key == ConsoleKey.Enter)
            {
                break;
            }
            if (key.Key == ConsoleKey.Backspace)
            {
                if (password.Length > 0)
                {
                    password.Length--;
                }
                continue;
            }
            if (!char.IsControl(key.KeyChar))
            {
                password.Append(key.KeyChar);
            }
        }
        session.Error.WriteLine();
        return password.ToString();
    }
}

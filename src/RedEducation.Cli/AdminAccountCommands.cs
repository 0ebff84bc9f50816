using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

public static partial class Cli
{
    /// <summary><c>admin accounts list|create|set</c>: unit, staff and planner accounts.</summary>
    private static Command AccountAdminCommands()
    {
        var accounts = new Command("accounts", "账号 accounts: list, create, change (disable, reset the password, staff venues)");

        var role = new Option<string?>("--role") { Description = "角色 only accounts of this role: admin, unit, staff, planner" };
        var list = new Command("list", "账号列表 every account, or those of one role") { role };
        Handle(list, async (parsed, session) =>
        {
            var query = parsed.GetValue(role) is { Length: > 0 } r ? $"?role={Session.Escape(r)}" : "";
            var reply = await session.GetAsync("api/admin/accounts" + query);
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var table = new TextTable("用户名 user", "角色 role", "名称 name", "单位 unit", "场馆 venues", "状态 state");
            foreach (var a in reply.Node.AsArray())
            {
                table.Add(S(a!["username"]), S(a["role"]), S(a["displayName"]), S(a["unitId"]), string.Join(",", a["venueIds"]?.AsArray().Select(S) ?? []),
                    Disabled(a) ? "已停用 disabled" : "正常 active");
            }
            table.WriteTo(session.Out);
            await session.Out.WriteLineAsync($"共 {N(table.Count)} 个账号 accounts");
            return ExitCodes.Ok;
        });
        accounts.Subcommands.Add(list);

        var username = Text("username", "用户名 user name: 3-64 lower-case letters, digits, '.', '_' or '-'");
        var newRole = new Option<string>("--role") { Description = "角色 unit, staff or planner", Required = true };
        var name = new Option<string>("--name") { Description = "名称 display name, e.g. the unit's or the person's name", Required = true };
        var unit = new Option<string?>("--unit") { Description = "单位编号 the unit a unit account books for" };
        var venues = new Option<string?>("--venues") { Description = "场馆 the venues a staff account checks in at, comma-separated ids" };
        var password = PasswordOption();
        var create = new Command("create", "新建账号 create a unit, staff or planner account") { username, newRole, name, unit, venues, password };
        Handle(create, async (parsed, session) =>
        {
            var user = parsed.GetValue(username)!;
            var body = new JsonObject
            {
                ["username"] = user,
                ["role"] = parsed.GetValue(newRole),
                ["displayName"] = parsed.GetValue(name),
                ["password"] = NewPassword(parsed, password, session, user, askWhenAbsent: true) ?? throw new UsageException("需要密码 a password is required: --password, or type it at the prompt"),
            };
            if (parsed.GetValue(unit) is { Length: > 0 } unitId)
            {
                body["unitId"] = unitId;
            }
            if (parsed.GetValue(venues) is { Length: > 0 } ids)
            {
                body["venueIds"] = IdList(ids);
            }
            return await ShowAccountAsync(session, await session.PostAsync("api/admin/accounts", body), "已创建 created");
        });
        accounts.Subcommands.Add(create);

        var newName = new Option<string?>("--name") { Description = "新名称 new display name" };
        var newVenues = new Option<string?>("--venues") { Description = "场馆 the staff account's venues from now on, comma-separated ids" };
        var newPassword = PasswordOption();
        var disable = new Option<bool>("--disable") { Description = "停用 stop the account signing in" };
        var enable = new Option<bool>("--enable") { Description = "启用 let a disabled account sign in again" };
        var set = new Command("set", "修改账号 change an account: name, venues, password, disabled") { username, newName, newVenues, newPassword, disable, enable };
        set.Validators.Add(result =>
        {
            if (result.GetValue(disable) && result.GetValue(enable))
            {
                result.AddError("--disable 与 --enable 只能选一 give --disable or --enable, not both");
            }
        });
        Handle(set, async (parsed, session) =>
        {
            var user = parsed.GetValue(username)!;
            var body = new JsonObject();
            if (parsed.GetValue(newName) is { } displayName)
            {
                body["displayName"] = displayName;
            }
            if (parsed.GetValue(newVenues) is { } ids)
            {
                body["venueIds"] = IdList(ids);
            }
            if (NewPassword(parsed, newPassword, session, user, askWhenAbsent: false) is { } secret)
            {
                body["password"] = secret;
            }
            if (parsed.GetValue(disable) || parsed.GetValue(enable))
            {
                body["disabled"] = parsed.GetValue(disable);
            }
            if (body.Count == 0)
            {
                throw new UsageException("没有要修改的内容 nothing to change: give --name, --venues, --password, --disable or --enable");
            }
            return await ShowAccountAsync(session, await session.PatchAsync($"api/admin/accounts/{Session.Escape(user)}", body), "已修改 changed");
        });
        accounts.Subcommands.Add(set);
        return accounts;
    }

    /// <summary><c>admin audit</c>: administrators' changes and check-ins, newest first, a page at a time.</summary>
    private static Command AuditCommand()
    {
        var from = new Option<string?>("--from") { Description = "起 from this date (YYYY-MM-DD, China time) or instant (default: 7 days before --to)" };
        var to = new Option<string?>("--to") { Description = "止 up to this date or instant (default: now)" };
        var actor = new Option<string?>("--actor") { Description = "操作人 only this user's entries" };
        var action = new Option<string?>("--action") { Description = "操作 only this action or its kind: venue, account, ticket-key, checkin, checkin.sync, …" };
        var limit = new Option<int?>("--limit") { Description = "条数 entries per page" };
        var before = new Option<string?>("--before") { Description = "下一页 the next page: the value printed after the last one" };
        var audit = new Command("audit", "审计日志 who changed what, and every check-in") { from, to, actor, action, limit, before };
        Handle(audit, async (parsed, session) =>
        {
            var query = new List<string>();
            foreach (var (key, value) in new[]
            {
                ("from", parsed.GetValue(from)), ("to", parsed.GetValue(to)), ("actor", parsed.GetValue(actor)), ("action", parsed.GetValue(action)),
                ("limit", parsed.GetValue(limit) is { } n ? N(n) : null), ("before", parsed.GetValue(before)),
            })
            {
                if (value is not null)
                {
                    query.Add($"{key}={Session.Escape(value)}");
                }
            }
            var reply = await session.GetAsync("api/admin/audit" + (query.Count > 0 ? "?" + string.Join('&', query) : ""));
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var china = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");
            var table = new TextTable("时间 time (UTC+8)", "操作人 actor", "操作 action", "对象 target", "摘要 summary");
            foreach (var e in reply.Node["entries"]?.AsArray() ?? [])
            {
                var time = DateTimeOffset.TryParse(S(e!["time"]), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
                    ? TimeZoneInfo.ConvertTime(at, china).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
                    : S(e["time"]);
                table.Add(time, $"{S(e["actor"])} ({S(e["role"])})", S(e["action"]), S(e["target"]), S(e["summary"]));
            }
            if (table.Count == 0)
            {
                await session.Out.WriteLineAsync("无记录 no entries");
            }
            else
            {
                table.WriteTo(session.Out);
            }
            if (S(reply.Node["next"]) is { Length: > 0 } next)
            {
                await session.Out.WriteLineAsync($"更多 more: redu admin audit --before {next} (with the same filters)");
            }
            return ExitCodes.Ok;
        });
        return audit;
    }

    /// <summary>--password with a value sets it; --password alone (or nothing, when creating) asks for it without echo.</summary>
    private static Option<string?> PasswordOption() => new("--password")
    {
        Description = "密码 the password (at least 10 characters); --password alone asks for it without echo",
        Arity = ArgumentArity.ZeroOrOne,
    };

    private static string? NewPassword(ParseResult parsed, Option<string?> option, Session session, string username, bool askWhenAbsent)
    {
        if (parsed.GetValue(option) is { Length: > 0 } given)
        {
            return given;
        }
        var ask = askWhenAbsent || parsed.GetResult(option) is not null;
        return ask && ReadPassword(session, username) is { Length: > 0 } typed ? typed : null;
    }

    /// <summary>Comma-separated ids as a JSON array.</summary>
    internal static JsonArray IdList(string ids) =>
        new([.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(v => (JsonNode)JsonValue.Create(v))]);

    private static bool Disabled(JsonNode? account) => account?["disabled"] is JsonValue d && d.TryGetValue<bool>(out var yes) && yes;

    private static async Task<int> ShowAccountAsync(Session session, Reply reply, string done)
    {
        if (session.Json)
        {
            return session.WriteJson(reply);
        }
        var a = reply.Node;
        await session.Out.WriteLineAsync($"{done}: {S(a["username"])} ({S(a["role"])}) {S(a["displayName"])}");
        if (a["unitId"] is { } unit)
        {
            await session.Out.WriteLineAsync($"单位 unit: {S(unit)}");
        }
        if (a["venueIds"] is JsonArray { Count: > 0 } venues)
        {
            await session.Out.WriteLineAsync($"场馆 venues: {string.Join(",", venues.Select(S))}");
        }
        await session.Out.WriteLineAsync($"状态 state: {(Disabled(a) ? "已停用 disabled" : "正常 active")}");
        return ExitCodes.Ok;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RedEducation.Domain.Geography;

namespace RedEducation.Cli;

public static partial class Cli
{
    /// <summary><c>admin venue|keys|…</c>: what only an administrator may do.</summary>
    private static void AddAdminCommands(RootCommand root)
    {
        var admin = new Command("admin", "管理 administrator tasks: venue rules, ticket keys, accounts, audit");
        admin.Subcommands.Add(VenuePatchCommand());
        admin.Subcommands.Add(TicketKeyCommands());
        admin.Subcommands.Add(AccountAdminCommands());
        admin.Subcommands.Add(AuditCommand());
        root.Subcommands.Add(admin);
    }

    private static Command VenuePatchCommand()
    {
        var venueId = Text("venueId", "场馆编号 venue id");
        var open = TimeOption("--open", "开馆 opening time, HH:mm");
        var lastEntry = TimeOption("--last-entry", "末次入场 last entry, HH:mm");
        var close = TimeOption("--close", "闭馆 closing time, HH:mm");
        var closed = new Option<string?>("--closed") { Description = "每周闭馆日 closed weekdays, e.g. mon or mon,tue or 周一 (none: open every day)" };
        var closedOn = new Option<string[]>("--closed-on") { Description = "某日闭馆 closed on this date, YYYY-MM-DD (repeatable)" };
        var openOn = new Option<string[]>("--open-on") { Description = "某日开放 open on this date although a closed weekday, YYYY-MM-DD (repeatable)" };
        var numbers = new (string Field, Option<int?> Option)[]
        {
            ("slotCapacity", new("--slot-capacity") { Description = "每时段容量 places per slot" }),
            ("dailyCap", new("--daily-cap") { Description = "每日总量 places per day" }),
            ("groupMin", new("--group-min") { Description = "最少人数 smallest group" }),
            ("groupMax", new("--group-max") { Description = "最多人数 largest group" }),
            ("unitCapPerDay", new("--unit-cap") { Description = "每单位每日上限 places per unit and day" }),
            ("leadMinDays", new("--lead-min") { Description = "最少提前天数 days of notice at least" }),
            ("leadMaxDays", new("--lead-max") { Description = "最多提前天数 days ahead at most" }),
            ("slotMinutes", new("--slot-minutes") { Description = "时段长度 minutes per slot" }),
            ("visitMinutes", new("--visit-minutes") { Description = "参观时长 minutes a visit takes (route planning)" }),
        };
        var location = new Option<string?>("--location") { Description = "位置 lat,lon in WGS84 (or GCJ-02 with --gcj02)" };
        var gcj02 = new Option<bool>("--gcj02") { Description = "位置取自高德/腾讯地图 the --location was read off a Chinese map (GCJ-02); converted to WGS84" };
        var source = new Option<string?>("--source") { Description = "位置来源 where the location comes from (kept with the venue)" };
        var accuracy = new Option<int?>("--accuracy") { Description = "位置精度 how far off the location may be, in metres (with --location)" };
        var command = new Command("venue", "修改场馆规则 change a venue's hours, closed days, capacities, limits or location (prints the venue after)")
        {
            venueId, open, lastEntry, close, closed, closedOn, openOn, location, gcj02, source, accuracy,
        };
        foreach (var (_, option) in numbers)
        {
            command.Options.Add(option);
        }
        Handle(command, async (parsed, session) =>
        {
            var patch = new JsonObject();
            foreach (var (field, option) in numbers)
            {
                if (parsed.GetValue(option) is { } value)
                {
                    patch[field] = value;
                }
            }
            if (parsed.GetValue(closed) is { } weekdays)
            {
                patch["closedWeekdays"] = new JsonArray([.. ParseWeekdays(weekdays).Select(d => (JsonNode)JsonValue.Create(d.ToString().ToLowerInvariant()))]);
            }
            if (parsed.GetValue(location) is { } text)
            {
                // The server converts a GCJ-02 position to WGS84 and stores only that; the venue printed after shows both.
                var point = ParseLocation(text);
                var datum = parsed.GetValue(gcj02) ? "GCJ-02" : "WGS84";
                var given = string.Create(CultureInfo.InvariantCulture, $"{point.Lat:0.######},{point.Lon:0.######}");
                patch["location"] = new JsonObject
                {
                    ["lat"] = point.Lat,
                    ["lon"] = point.Lon,
                    ["datum"] = parsed.GetValue(gcj02) ? "gcj02" : "wgs84",
                    ["accuracyMeters"] = parsed.GetValue(accuracy),
                    ["source"] = parsed.GetValue(source) ?? $"set by an administrator from {datum} {given}",
                };
            }
            else if (parsed.GetValue(gcj02) || parsed.GetValue(source) is not null || parsed.GetValue(accuracy) is not null)
            {
                throw new UsageException("--gcj02、--source 和 --accuracy 需与 --location 同用 --gcj02, --source and --accuracy go with --location");
            }
            var times = new[] { parsed.GetValue(open), parsed.GetValue(lastEntry), parsed.GetValue(close) };
            var dated = parsed.GetValue(closedOn) is { Length: > 0 } || parsed.GetValue(openOn) is { Length: > 0 };
            if (patch.Count == 0 && times.All(t => t is null) && !dated)
            {
                throw new UsageException("没有要修改的内容 nothing to change: give options such as --slot-capacity 300 (see redu admin venue --help); redu venue <id> shows a venue");
            }
            var path = VenuePath(parsed.GetValue(venueId)!);
            if (times.Any(t => t is not null) || dated)
            {
                // Hours go as a whole and dated exceptions as the whole list: start from the venue as it is.
                var current = (await session.GetAsync(path)).Node;
                if (times.Any(t => t is not null))
                {
                    patch["hours"] = new JsonObject
                    {
                        ["open"] = times[0] ?? Hm(current["hours"]?["open"]),
                        ["lastEntry"] = times[1] ?? Hm(current["hours"]?["lastEntry"]),
                        ["close"] = times[2] ?? Hm(current["hours"]?["close"]),
                    };
                }
                if (dated)
                {
                    patch["exceptions"] = Exceptions(current["exceptions"] as JsonArray, parsed.GetValue(closedOn) ?? [], parsed.GetValue(openOn) ?? []);
                }
            }
            return await ShowVenueAsync(session, await session.PatchAsync(path, patch));
        });
        return command;
    }

    /// <summary>The venue's dated exceptions with these dates set closed or open (an existing entry for the date is replaced).</summary>
    private static JsonArray Exceptions(JsonArray? current, string[] closedOn, string[] openOn)
    {
        var byDate = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        foreach (var e in current ?? [])
        {
            byDate[S(e!["date"])] = e.DeepClone();
        }
        foreach (var (dates, isOpen) in new[] { (closedOn, false), (openOn, true) })
        {
            foreach (var date in dates)
            {
                if (!DateOnly.TryParseExact(date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
                {
                    throw new UsageException($"日期格式 dates must be YYYY-MM-DD, not '{date}'");
                }
                byDate[date] = new JsonObject
                {
                    ["date"] = date,
                    ["open"] = isOpen,
                    ["note"] = new JsonObject { ["zh"] = isOpen ? "临时开放" : "临时闭馆", ["en"] = isOpen ? "open by exception" : "closed by exception" },
                };
            }
        }
        return new JsonArray([.. byDate.Values]);
    }

    private static Command TicketKeyCommands()
    {
        var keys = new Command("keys", "凭证签名密钥 ticket signing keys: list, rotate, retire");

        var list = new Command("list", "密钥列表 the keys that verify tickets; the signing one signs new codes");
        Handle(list, async (_, session) => await ShowKeysAsync(session, await session.GetAsync("api/admin/ticket-keys")));
        keys.Subcommands.Add(list);

        var rotate = new Command("rotate", "轮换 make a new signing key; older keys still verify the codes they signed");
        Handle(rotate, async (_, session) => await ShowKeysAsync(session, await session.PostAsync("api/admin/ticket-keys", null)));
        keys.Subcommands.Add(rotate);

        var keyId = Number("keyId", "密钥编号 key id (from redu admin keys list)");
        var retire = new Command("retire", "停用 retire an old key: every code it signed stops verifying") { keyId };
        Handle(retire, async (parsed, session) =>
            await ShowKeysAsync(session, await session.DeleteAsync($"api/admin/ticket-keys/{N(parsed.GetValue(keyId))}")));
        keys.Subcommands.Add(retire);
        return keys;
    }

    private static async Task<int> ShowKeysAsync(Session session, Reply reply)
    {
        if (session.Json)
        {
            return session.WriteJson(reply);
        }
        var table = new TextTable("编号 key id", "用途 use", "公钥 public key (Ed25519, base64)");
        foreach (var k in reply.Node.AsArray())
        {
            var signing = k!["signing"] is JsonValue s && s.TryGetValue<bool>(out var yes) && yes;
            table.Add(N(I(k["keyId"])), signing ? "签发 signing" : "仅验证 verify only", S(k["publicKey"]));
        }
        table.WriteTo(session.Out);
        return ExitCodes.Ok;
    }

    private static Option<string?> TimeOption(string name, string description)
    {
        var option = new Option<string?>(name) { Description = description };
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value
                && !TimeOnly.TryParseExact(value, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                result.AddError($"时间格式 {name} must be HH:mm, not '{value}'");
            }
        });
        return option;
    }

    private static LatLon ParseLocation(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon)
            && lat is >= -90 and <= 90 && lon is >= -180 and <= 180
                ? new LatLon(lat, lon)
                : throw new UsageException($"位置格式 --location must be lat,lon in degrees (e.g. 41.8500,123.4366), not '{text}'");
    }

    /// <summary>"mon,tue", "monday", "周一,周日" or "none"; anything else is a usage error.</summary>
    private static IReadOnlyList<DayOfWeek> ParseWeekdays(string text)
    {
        if (text.Trim() is "" or "none" or "无")
        {
            return [];
        }
        var weekdays = WeekdayNames();
        return [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(name =>
            weekdays.TryGetValue(name.ToLowerInvariant(), out var day)
                ? day
                : throw new UsageException($"星期 not a weekday: '{name}' (mon … sun, monday … sunday, 周一 … 周日, or none)")).Distinct()];
    }

    private static Dictionary<string, DayOfWeek> WeekdayNames()
    {
        var names = new Dictionary<string, DayOfWeek>(StringComparer.Ordinal);
        foreach (var day in Enum.GetValues<DayOfWeek>())
        {
            var english = day.ToString().ToLowerInvariant();
            names[english] = day;
            names[english[..3]] = day;
            names[WeekdaysZh[(int)day]] = day;
            names["星期" + WeekdaysZh[(int)day][1..]] = day;
        }
        return names;
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

public static partial class Cli
{
    /// <summary><c>routes list|show|save|book</c>: saved study routes, and booking a whole day's route at once.</summary>
    private static void AddStudyRouteCommands(RootCommand root)
    {
        var routes = new Command("routes", "研学路线 saved study routes; book a planned route at once");

        var list = new Command("list", "路线列表 the saved study routes you may see");
        Handle(list, async (_, session) =>
        {
            var reply = await session.GetAsync("api/routes");
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var table = new TextTable("编号 id", "名称 name", "场馆 venues", "共享 shared", "创建者 owner");
            foreach (var r in reply.Node.AsArray())
            {
                table.Add(S(r!["id"]), S(r["name"]), string.Join(",", r["venueIds"]?.AsArray().Select(S) ?? []), YesNo(r["sharedWithUnits"]), S(r["owner"]));
            }
            if (table.Count == 0)
            {
                await session.Out.WriteLineAsync("暂无路线 no saved routes");
                return ExitCodes.Ok;
            }
            table.WriteTo(session.Out);
            return ExitCodes.Ok;
        });
        routes.Subcommands.Add(list);

        var id = Text("id", "路线编号 route id");
        var show = new Command("show", "路线详情 one saved route with its venues") { id };
        Handle(show, async (parsed, session) =>
        {
            var reply = await session.GetAsync(RoutePath(parsed.GetValue(id)!));
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var r = reply.Node;
            var venues = (await session.GetAsync("api/venues")).Node.AsArray();
            await session.Out.WriteLineAsync($"路线 route: {S(r["id"])}  {S(r["name"])}");
            await session.Out.WriteLineAsync($"创建者 owner: {S(r["owner"])}  创建于 created: {S(r["createdAt"])}  共享给单位 shared with units: {YesNo(r["sharedWithUnits"])}");
            if (S(r["notes"]) is { Length: > 0 } notes)
            {
                await session.Out.WriteLineAsync($"说明 notes: {notes}");
            }
            var table = new TextTable("#", "场馆 venue", "名称 name");
            foreach (var venueId in r["venueIds"]?.AsArray().Select(S) ?? [])
            {
                table.Add(N(table.Count + 1), venueId, Bilingual(venues.FirstOrDefault(v => S(v?["id"]) == venueId)?["name"]));
            }
            table.WriteTo(session.Out);
            return ExitCodes.Ok;
        });
        routes.Subcommands.Add(show);

        var name = Text("name", "路线名称 the route's name");
        var venueIds = new Option<string>("--venues") { Description = "场馆 venues in order, comma-separated ids", Required = true };
        var notes = new Option<string?>("--notes") { Description = "说明 notes for the groups" };
        var shared = new Option<bool>("--shared") { Description = "共享给单位 let units see and book it" };
        var save = new Command("save", "保存路线 save a study route (planner)") { name, venueIds, notes, shared };
        Handle(save, async (parsed, session) =>
        {
            var reply = await session.PostAsync("api/routes", new
            {
                name = parsed.GetValue(name),
                venueIds = IdList(parsed.GetValue(venueIds)!),
                notes = parsed.GetValue(notes),
                sharedWithUnits = parsed.GetValue(shared),
            });
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            await session.Out.WriteLineAsync($"已保存路线 saved route: {S(reply.Node["id"])}  {S(reply.Node["name"])}");
            return ExitCodes.Ok;
        });
        routes.Subcommands.Add(save);

        routes.Subcommands.Add(RouteBookCommand());
        root.Subcommands.Add(routes);
    }

    private static Command RouteBookCommand()
    {
        var input = new PlanInput(required: false);
        var planFile = new Option<string?>("--plan") { Description = "已规划的路线 a plan saved with: redu plan … --json > plan.json" };
        var savedRoute = new Option<string?>("--route") { Description = "已保存路线 plan the venues of this saved route (with --start and --date)" };
        var contactName = new Option<string>("--contact-name") { Description = "联系人 contact person", Required = true };
        var contactPhone = new Option<string>("--contact-phone") { Description = "联系电话 contact phone", Required = true };
        var unit = new Option<string?>("--unit") { Description = "单位 the unit to book for (administrators only)" };
        var key = new Option<string?>("--key") { Description = "幂等键 Idempotency-Key (default: a new GUID, printed so that you can retry with it)" };
        var book = new Command("book", "整条路线预约 book every stop of a planned day for one group, or none")
        {
            planFile, savedRoute, contactName, contactPhone, unit, key,
        };
        input.AddTo(book);
        book.Validators.Add(result =>
        {
            var sources = (result.GetValue(planFile) is { Length: > 0 } ? 1 : 0) + (result.GetValue(savedRoute) is { Length: > 0 } ? 1 : 0)
                + (result.GetValue(input.Venues) is { Length: > 0 } ? 1 : 0);
            if (sources != 1)
            {
                result.AddError("需要 --plan、--route 或 --venues 之一 give exactly one of --plan <file>, --route <id> or --venues <ids>");
            }
            if (result.GetValue(input.Headcount) is not > 0)
            {
                result.AddError("需要人数 --headcount is required (the group's size)");
            }
        });
        Handle(book, async (parsed, session) =>
        {
            JsonNode plan;
            if (parsed.GetValue(planFile) is { Length: > 0 } file)
            {
                plan = ReadJsonFile(file) is JsonObject saved && saved["stops"] is JsonArray ? saved
                    : throw new UsageException($"不是路线规划 {file} is not a plan (from redu plan … --json): it has no stops");
            }
            else
            {
                var venues = parsed.GetValue(input.Venues) is { Length: > 0 } given
                    ? given
                    : string.Join(',', (await session.GetAsync(RoutePath(parsed.GetValue(savedRoute)!))).Node["venueIds"]?.AsArray().Select(S) ?? []);
                plan = (await session.PostAsync("api/routes/plan", input.Body(parsed, venues))).Node;
                if (!session.Json)
                {
                    await ShowPlanAsync(session, plan);
                }
            }
            var idempotencyKey = await IdempotencyKeyAsync(session, parsed.GetValue(key));
            var body = new JsonObject
            {
                ["plan"] = new JsonObject
                {
                    ["date"] = S(plan["date"]),
                    ["stops"] = new JsonArray([.. plan["stops"]!.AsArray().Select(s => (JsonNode)new JsonObject
                    {
                        ["venueId"] = S(s!["venueId"]),
                        ["slot"] = Hm(s["slot"]),
                    })]),
                },
                ["headcount"] = parsed.GetValue(input.Headcount),
                ["contactName"] = parsed.GetValue(contactName),
                ["contactPhone"] = parsed.GetValue(contactPhone),
            };
            if (parsed.GetValue(unit) is { Length: > 0 } unitId)
            {
                body["unitId"] = unitId;
            }
            var reply = await session.PostAsync("api/routes/bookings", body, idempotencyKey);
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var r = reply.Node;
            await session.Out.WriteLineAsync($"路线预约 route booking: {S(r["id"])}  状态 status: {(S(r["status"]) == "confirmed" ? "已确认 confirmed" : S(r["status"]))}");
            var table = new TextTable("预约 booking", "场馆 venue", "日期 date", "时段 slot", "人数 headcount", "状态 status");
            foreach (var b in r["bookings"]?.AsArray() ?? [])
            {
                table.Add(S(b!["id"]), S(b["venueId"]), S(b["date"]), Hm(b["slot"]), N(I(b["headcount"])), Status(b));
            }
            table.WriteTo(session.Out);
            await session.Out.WriteLineAsync("凭证 tickets: redu ticket <booking>");
            return ExitCodes.Ok;
        });
        return book;
    }

    private static string RoutePath(string id) => $"api/routes/{Session.Escape(id)}";

    private static string YesNo(JsonNode? flag) => flag is JsonValue v && v.TryGetValue<bool>(out var yes) && yes ? "是 yes" : "否 no";

    /// <summary>A JSON file given on the command line; a missing or unreadable one is a usage error.</summary>
    private static JsonNode? ReadJsonFile(string file)
    {
        if (!File.Exists(file))
        {
            throw new UsageException($"找不到文件 no such file: {file}");
        }
        try
        {
            return JsonNode.Parse(File.ReadAllText(file));
        }
        catch (JsonException exception)
        {
            throw new UsageException($"不是有效的 JSON {file} is not valid JSON: {exception.Message}");
        }
    }
}

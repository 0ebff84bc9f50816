using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

public static partial class Cli
{
    private static void AddRouteCommands(RootCommand root)
    {
        var input = new PlanInput(required: true);
        var gpx = new Option<string?>("--gpx") { Description = "保存 GPX 轨迹 save the plan as GPX" };
        var geojson = new Option<string?>("--geojson") { Description = "保存 GeoJSON save the plan as GeoJSON (the route line and a point per stop)" };
        var plan = new Command("plan", "一日研学路线规划 order venues into one feasible day");
        input.AddTo(plan);
        plan.Options.Add(gpx);
        plan.Options.Add(geojson);
        Handle(plan, async (parsed, session) =>
        {
            var body = input.Body(parsed, parsed.GetValue(input.Venues)!);
            var reply = await session.PostAsync("api/routes/plan", body);
            if (parsed.GetValue(gpx) is { Length: > 0 } gpxFile)
            {
                var track = await session.PostAsync("api/routes/plan", body, accept: "application/gpx+xml");
                await SaveAsync(session, gpxFile, track.ToArray(), "GPX");
            }
            if (parsed.GetValue(geojson) is { Length: > 0 } geojsonFile)
            {
                var features = PlanGeoJson(reply.Node, (await session.GetAsync("api/venues")).Node.AsArray());
                await SaveAsync(session, geojsonFile, Encoding.UTF8.GetBytes(features.ToJsonString()), "GeoJSON");
            }
            return session.Json ? session.WriteJson(reply) : await ShowPlanAsync(session, reply.Node);
        });
        root.Subcommands.Add(plan);

        var from = Text("from", "起点 a venue id or lat,lon");
        var to = Text("to", "终点 a venue id or lat,lon");
        var route = new Command("route", "最短路线 the shortest road route between two places") { from, to };
        Handle(route, async (parsed, session) =>
        {
            var reply = await session.GetAsync($"api/routes/shortest?from={Session.Escape(parsed.GetValue(from)!)}&to={Session.Escape(parsed.GetValue(to)!)}");
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var properties = reply.Node["properties"];
            await session.Out.WriteLineAsync($"{parsed.GetValue(from)} → {parsed.GetValue(to)}");
            await session.Out.WriteLineAsync($"距离 distance: {Km(D(properties?["distanceMeters"]))}");
            await session.Out.WriteLineAsync($"时间 duration: {Duration(D(properties?["durationSeconds"]))}");
            if (properties?["network"] is { } network)
            {
                await session.Out.WriteLineAsync($"路网 road network: {S(network)}");
            }
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(route);

        var liaoshen = new Command("liaoshen", "辽沈战役路线 the Liaoshen Campaign route in historical order");
        Handle(liaoshen, async (_, session) =>
        {
            var reply = await session.GetAsync("api/routes/liaoshen");
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var r = reply.Node;
            await session.Out.WriteLineAsync(S(r["name"]));
            var table = new TextTable("#", "日期 dates", "地点 place", "场馆 venue");
            foreach (var stop in r["stops"]?.AsArray() ?? [])
            {
                table.Add(N(I(stop!["order"])), $"{S(stop["from"])} — {S(stop["to"])}", Bilingual(stop["name"]), S(stop["venueId"]));
            }
            table.WriteTo(session.Out);
            await session.Out.WriteLineAsync($"全程 total: {Km(D(r["totalDistanceMeters"]))}, {Duration(D(r["totalDurationSeconds"]))}");
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(liaoshen);
    }

    private static async Task<int> ShowPlanAsync(Session session, JsonNode p)
    {
        await session.Out.WriteLineAsync($"日期 date: {S(p["date"])}  出发 depart: {Hm(p["departAt"])}");
        var table = new TextTable("#", "场馆 venue", "到达 arrive", "时段 slot", "入馆 visit", "离开 depart");
        var order = 0;
        foreach (var stop in p["stops"]?.AsArray() ?? [])
        {
            order++;
            table.Add(N(order), $"{S(stop!["venueId"])} {Bilingual(stop["name"])}", Hm(stop["arrive"]), Hm(stop["slot"]), Hm(stop["visitStart"]), Hm(stop["depart"]));
        }
        table.WriteTo(session.Out);
        var driving = 0.0;
        foreach (var leg in p["legs"]?.AsArray() ?? [])
        {
            driving += D(leg!["durationSeconds"]);
            await session.Out.WriteLineAsync($"  {S(leg["from"])} → {S(leg["to"])}: {Km(D(leg["distanceMeters"]))}, {Duration(D(leg["durationSeconds"]))}");
        }
        if (p["returnAt"] is { } back)
        {
            await session.Out.WriteLineAsync($"返回 back at start: {Hm(back)}");
        }
        await session.Out.WriteLineAsync(
            $"总计 total: {Km(D(p["totalDistanceMeters"]))}, 行车 driving {Duration(driving)}, 全天 whole day {Duration(D(p["totalDurationSeconds"]))}");
        return ExitCodes.Ok;
    }

    /// <summary>
    /// A plan as a GeoJSON FeatureCollection (RFC 7946, WGS84): the driving line with the day's totals, then one point
    /// per stop in visiting order with its times.
    /// </summary>
    private static JsonObject PlanGeoJson(JsonNode plan, JsonArray venues)
    {
        var features = new JsonArray
        {
            new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = plan["geometry"]?.DeepClone(),
                ["properties"] = new JsonObject
                {
                    ["date"] = S(plan["date"]),
                    ["departAt"] = S(plan["departAt"]),
                    ["totalDistanceMeters"] = D(plan["totalDistanceMeters"]),
                    ["totalDurationSeconds"] = D(plan["totalDurationSeconds"]),
                    ["returnAt"] = plan["returnAt"]?.DeepClone(),
                },
            },
        };
        var order = 0;
        foreach (var stop in plan["stops"]?.AsArray() ?? [])
        {
            order++;
            var location = venues.FirstOrDefault(v => S(v?["id"]) == S(stop!["venueId"]))?["location"];
            features.Add(new JsonObject
            {
                ["type"] = "Feature",
                ["geometry"] = new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(D(location?["lon"]), D(location?["lat"])) },
                ["properties"] = new JsonObject
                {
                    ["order"] = order,
                    ["venueId"] = S(stop!["venueId"]),
                    ["name"] = stop["name"]?.DeepClone(),
                    ["arrive"] = S(stop["arrive"]),
                    ["slot"] = S(stop["slot"]),
                    ["visitStart"] = S(stop["visitStart"]),
                    ["depart"] = S(stop["depart"]),
                },
            });
        }
        return new JsonObject { ["type"] = "FeatureCollection", ["features"] = features };
    }

    /// <summary>A plan start: "lat,lon" becomes a point, anything else is a venue id.</summary>
    internal static JsonNode StartNode(string start)
    {
        var parts = start.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out var lat)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var lon))
        {
            return new JsonObject { ["lat"] = lat, ["lon"] = lon };
        }
        return JsonValue.Create(start);
    }
}

/// <summary>The options of a study-day plan (start, venues, date, departure, return, group size), shared by <c>plan</c> and <c>routes book</c>.</summary>
internal sealed class PlanInput
{
    public PlanInput(bool required)
    {
        Start = new Option<string>("--start") { Description = "出发地 start: a venue id or lat,lon (WGS84)", Required = required };
        Venues = new Option<string?>("--venues") { Description = "场馆 venues to visit, comma-separated ids", Required = required };
        Date = new Option<string>("--date") { Description = "日期 date, YYYY-MM-DD", Required = required };
        Depart = new Option<string>("--depart") { Description = "出发时间 departure, HH:mm", DefaultValueFactory = _ => "08:00" };
        ReturnToStart = new Option<bool>("--return") { Description = "返回出发地 return to the start at the end of the day" };
        Headcount = new Option<int?>("--headcount") { Description = "人数 group size, to find slots with room" };
    }

    public Option<string> Start { get; }

    public Option<string?> Venues { get; }

    public Option<string> Date { get; }

    public Option<string> Depart { get; }

    public Option<bool> ReturnToStart { get; }

    public Option<int?> Headcount { get; }

    public void AddTo(Command command)
    {
        command.Options.Add(Start);
        command.Options.Add(Venues);
        command.Options.Add(Date);
        command.Options.Add(Depart);
        command.Options.Add(ReturnToStart);
        command.Options.Add(Headcount);
    }

    /// <summary>The body of POST /api/routes/plan for <paramref name="venues"/> (comma-separated ids).</summary>
    public JsonObject Body(ParseResult parsed, string venues)
    {
        var body = new JsonObject
        {
            ["start"] = Cli.StartNode(parsed.GetValue(Start) ?? throw new UsageException("需要出发地 --start is required")),
            ["venues"] = Cli.IdList(venues),
            ["date"] = parsed.GetValue(Date) ?? throw new UsageException("需要日期 --date is required"),
            ["departAt"] = parsed.GetValue(Depart),
            ["returnToStart"] = parsed.GetValue(ReturnToStart),
        };
        if (parsed.GetValue(Headcount) is { } people)
        {
            body["headcount"] = people;
        }
        return body;
    }
}

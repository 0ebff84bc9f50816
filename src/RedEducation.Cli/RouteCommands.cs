using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

public static partial class Cli
{
    private static void AddRouteCommands(RootCommand root)
    {
        var start = new Option<string>("--start") { Description = "出发地 start: a venue id or lat,lon (WGS84)", Required = true };
        var venueList = new Option<string>("--venues") { Description = "场馆 venues to visit, comma-separated ids", Required = true };
        var date = new Option<string>("--date") { Description = "日期 date, YYYY-MM-DD", Required = true };
        var depart = new Option<string>("--depart") { Description = "出发时间 departure, HH:mm", DefaultValueFactory = _ => "08:00" };
        var returnToStart = new Option<bool>("--return") { Description = "返回出发地 return to the start at the end of the day" };
        var headcount = new Option<int?>("--headcount") { Description = "人数 group size, to find slots with room" };
        var gpx = new Option<string?>("--gpx") { Description = "保存 GPX 轨迹 save the plan as GPX" };
        var plan = new Command("plan", "一日研学路线规划 order venues into one feasible day") { start, venueList, date, depart, returnToStart, headcount, gpx };
        Handle(plan, async (parsed, session) =>
        {
            var body = new JsonObject
            {
                ["start"] = StartNode(parsed.GetValue(start)!),
                ["venues"] = new JsonArray([.. parsed.GetValue(venueList)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Select(v => (JsonNode)JsonValue.Create(v))]),
                ["date"] = parsed.GetValue(date),
                ["departAt"] = parsed.GetValue(depart),
                ["returnToStart"] = parsed.GetValue(returnToStart),
            };
            if (parsed.GetValue(headcount) is { } people)
            {
                body["headcount"] = people;
            }
            var reply = await session.PostAsync("api/routes/plan", body);
            if (parsed.GetValue(gpx) is { Length: > 0 } gpxFile)
            {
                var track = await session.PostAsync("api/routes/plan", body, accept: "application/gpx+xml");
                await SaveAsync(session, gpxFile, track.ToArray(), "GPX");
            }
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var p = reply.Node;
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

    /// <summary>A plan start: "lat,lon" becomes a point, anything else is a venue id.</summary>
    private static JsonNode StartNode(string start)
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

    private static void AddImportCommand(RootCommand root)
    {
        var file = Text("file", "OpenStreetMap 提取文件 an .osm.pbf extract, e.g. liaoning-latest.osm.pbf");
        var dataDir = new Option<string?>("--data-dir") { Description = "服务器数据目录 the server's data directory (default: the server's own setting)" };
        var serverDll = new Option<string?>("--server-dll") { Description = "服务器程序 path to RedEducation.Server.dll (default: beside redu)" };
        var import = new Command("import-osm", "导入路网 build the road graph from an OSM extract (runs the server's import command)") { file, dataDir, serverDll };
        Handle(import, async (parsed, session) =>
        {
            var pbf = Path.GetFullPath(parsed.GetValue(file)!);
            var dir = parsed.GetValue(dataDir) is { Length: > 0 } d ? Path.GetFullPath(d) : null;
            var serverArgs = new List<string> { "import-osm", pbf };
            if (dir is not null)
            {
                serverArgs.Add($"--RedEducation:DataDirectory={dir}");
            }
            var dll = parsed.GetValue(serverDll) is { Length: > 0 } given ? Path.GetFullPath(given) : Path.Combine(AppContext.BaseDirectory, "RedEducation.Server.dll");
            if (!File.Exists(dll))
            {
                await session.Error.WriteLineAsync($"找不到服务器程序 the server is not beside redu ({dll}); give --server-dll, or run from the repository:");
                await session.Error.WriteLineAsync($"  dotnet run -c Release --project src/RedEducation.Server -- {string.Join(' ', serverArgs.Select(Quote))}");
                return ExitCodes.Usage;
            }
            if (!File.Exists(pbf))
            {
                throw new UsageException($"找不到文件 no such file: {pbf}");
            }
            return await RunServerImportAsync(session, dll, serverArgs);
        });
        root.Subcommands.Add(import);
    }

    /// <summary>Runs <c>dotnet RedEducation.Server.dll import-osm …</c> and streams its progress lines as they come.</summary>
    private static async Task<int> RunServerImportAsync(Session session, string dll, List<string> serverArgs)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in serverArgs)
        {
            start.ArgumentList.Add(arg);
        }
        await session.Error.WriteLineAsync($"运行 running: dotnet {Quote(dll)} {string.Join(' ', serverArgs.Select(Quote))}");
        using var process = Process.Start(start) ?? throw new UsageException("could not start dotnet");
        async Task PumpAsync(StreamReader reader, TextWriter writer)
        {
            while (await reader.ReadLineAsync(session.CancellationToken) is { } line)
            {
                await writer.WriteLineAsync(line);
                await writer.FlushAsync(session.CancellationToken);
            }
        }
        await Task.WhenAll(PumpAsync(process.StandardOutput, session.Out), PumpAsync(process.StandardError, session.Error));
        await process.WaitForExitAsync(session.CancellationToken);
        return process.ExitCode switch
        {
            0 => ExitCodes.Ok,
            2 => ExitCodes.Usage,
            _ => ExitCodes.ServerFault,
        };
    }

    private static string Quote(string arg) => arg.Any(char.IsWhiteSpace) ? $"\"{arg}\"" : arg;
}

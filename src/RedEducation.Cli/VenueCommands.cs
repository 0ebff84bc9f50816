using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using RedEducation.Domain.Geography;

namespace RedEducation.Cli;

public static partial class Cli
{
    private static readonly string[] WeekdaysZh = ["周日", "周一", "周二", "周三", "周四", "周五", "周六"];

    private static void AddVenueCommands(RootCommand root)
    {
        var venues = new Command("venues", "场馆列表 list the venues");
        Handle(venues, async (_, session) =>
        {
            var reply = await session.GetAsync("api/venues");
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var table = new TextTable("编号 id", "名称 name", "城市 city", "开放 hours", "闭馆 closed");
            foreach (var venue in reply.Node.AsArray())
            {
                var hours = venue!["hours"];
                table.Add(
                    S(venue["id"]), Bilingual(venue["name"]), Bilingual(venue["cityName"]) is { Length: > 0 } city ? city : S(venue["city"]),
                    $"{Hm(hours?["open"])}-{Hm(hours?["close"])} (末次入场 last entry {Hm(hours?["lastEntry"])})",
                    ClosedDays(venue["closedWeekdays"]));
            }
            table.WriteTo(session.Out);
            await session.Out.WriteLineAsync($"共 {table.Count} 个场馆 venues");
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(venues);

        var venueId = Text("venueId", "场馆编号 venue id, e.g. liaoshen-memorial");
        var date = DateArgument();
        var availability = new Command("availability", "某日余量 slots of a day with remaining places") { venueId, date };
        Handle(availability, async (parsed, session) =>
        {
            var reply = await session.GetAsync($"{VenuePath(parsed.GetValue(venueId)!)}/availability?date={parsed.GetValue(date)}");
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var body = reply.Node;
            var open = body["open"] is JsonValue v && v.TryGetValue<bool>(out var o) && o;
            await session.Out.WriteLineAsync($"{S(body["venueId"])}  {S(body["date"])}  {(open ? "开放 open" : "闭馆 closed")}");
            var table = new TextTable("时段 slot", "容量 capacity", "已订 booked", "剩余 remaining", "候补 waitlisted");
            foreach (var slot in body["slots"]?.AsArray() ?? [])
            {
                table.Add($"{Hm(slot!["start"])}-{Hm(slot["end"])}", N(I(slot["capacity"])), N(I(slot["booked"])), N(I(slot["remaining"])), N(I(slot["waitlisted"])));
            }
            if (table.Count > 0)
            {
                table.WriteTo(session.Out);
            }
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(availability);

        var show = new Command("venue", "场馆详情 one venue: location, hours, closed days, slots, capacities and limits") { venueId };
        Handle(show, async (parsed, session) => await ShowVenueAsync(session, await session.GetAsync(VenuePath(parsed.GetValue(venueId)!))));
        root.Subcommands.Add(show);
    }

    private static string VenuePath(string venueId) => $"api/venues/{Session.Escape(venueId)}";

    private static async Task<int> ShowVenueAsync(Session session, Reply reply)
    {
        if (session.Json)
        {
            return session.WriteJson(reply);
        }
        var v = reply.Node;
        var output = session.Out;
        var lat = D(v["location"]?["lat"]);
        var lon = D(v["location"]?["lon"]);
        var gcj = ChinaCoordinates.Wgs84ToGcj02(new LatLon(lat, lon));
        await output.WriteLineAsync($"场馆 venue: {S(v["id"])}  {Bilingual(v["name"])}");
        await output.WriteLineAsync($"城市 city: {Bilingual(v["cityName"])}  地址 address: {Bilingual(v["address"])}");
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"位置 location: {lat:0.000000},{lon:0.000000} (WGS84)  高德/腾讯地图 on Chinese maps (GCJ-02): {gcj.Lat:0.000000},{gcj.Lon:0.000000}"));
        var coordinate = v["coordinate"];
        await output.WriteLineAsync($"  精度 accuracy: ±{N(I(coordinate?["accuracyMeters"]))} m{(coordinate?["approximate"] is JsonValue a && a.TryGetValue<bool>(out var approx) && approx ? "  约略 approximate" : "")}");
        if (S(coordinate?["source"]) is { Length: > 0 } source)
        {
            await output.WriteLineAsync($"  来源 source: {source}");
        }
        var hours = v["hours"];
        await output.WriteLineAsync($"开放 hours: {Hm(hours?["open"])}-{Hm(hours?["close"])}  末次入场 last entry {Hm(hours?["lastEntry"])}  时区 zone {S(v["timeZone"])}");
        await output.WriteLineAsync($"闭馆 closed: {ClosedDays(v["closedWeekdays"])}");
        foreach (var e in v["exceptions"]?.AsArray() ?? [])
        {
            var open = e!["open"] is JsonValue o && o.TryGetValue<bool>(out var isOpen) && isOpen;
            await output.WriteLineAsync($"  {S(e["date"])}: {(open ? "开放 open" : "闭馆 closed")} {Bilingual(e["note"])}".TrimEnd());
        }
        await output.WriteLineAsync($"时段 slots: {string.Join(" ", v["slots"]?.AsArray().Select(s => $"{Hm(s!["start"])}-{Hm(s["end"])}") ?? [])}");
        await output.WriteLineAsync(
            $"容量 capacity: 每时段 per slot {N(I(v["slotCapacity"]))}, 每日 per day {N(I(v["dailyCap"]))}, 每单位每日 per unit and day {N(I(v["unitCapPerDay"]))}");
        await output.WriteLineAsync(
            $"团体 group: {N(I(v["groupMin"]))}-{N(I(v["groupMax"]))} 人 people;  提前 book {N(I(v["leadMinDays"]))}-{N(I(v["leadMaxDays"]))} 天 days ahead;  参观 visit {N(I(v["visitMinutes"]))} min");
        if (v["assumed"] is JsonArray assumed && assumed.Count > 0)
        {
            await output.WriteLineAsync($"假定值 assumed: {string.Join(", ", assumed.Select(S))}");
        }
        return ExitCodes.Ok;
    }

    private static string ClosedDays(JsonNode? days)
    {
        if (days is not JsonArray list || list.Count == 0)
        {
            return "-";
        }
        return string.Join(",", list.Select(d => S(d) is var name && Enum.TryParse<DayOfWeek>(name, ignoreCase: true, out var day)
            ? $"{WeekdaysZh[(int)day]} {day.ToString()[..3]}"
            : I(d) is var n && n is >= 0 and <= 6 ? $"{WeekdaysZh[n]} {((DayOfWeek)n).ToString()[..3]}" : S(d)));
    }
}

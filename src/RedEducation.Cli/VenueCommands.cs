using System.CommandLine;
using System.Text.Json.Nodes;

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
            var reply = await session.GetAsync($"api/venues/{Session.Escape(parsed.GetValue(venueId)!)}/availability?date={parsed.GetValue(date)}");
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

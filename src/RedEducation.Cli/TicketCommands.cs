using System.CommandLine;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

public static partial class Cli
{
    private static void AddTicketCommands(RootCommand root)
    {
        var id = Text("id", "预约编号 booking id");
        var png = new Option<string?>("--png") { Description = "保存二维码图片 save the QR code as PNG" };
        var svg = new Option<string?>("--svg") { Description = "保存二维码矢量图 save the QR code as SVG" };
        var ics = new Option<string?>("--ics") { Description = "保存日历 save the visit as an iCalendar file" };
        var ticket = new Command("ticket", "入场凭证 a confirmed booking's ticket code (and QR files)") { id, png, svg, ics };
        Handle(ticket, async (parsed, session) =>
        {
            var path = BookingPath(parsed.GetValue(id)!);
            var reply = await session.GetAsync(path + "/ticket");
            if (session.Json)
            {
                session.WriteJson(reply);
            }
            else
            {
                var t = reply.Node;
                await session.Out.WriteLineAsync($"凭证 ticket code: {S(t["code"])}");
                await session.Out.WriteLineAsync($"预约 booking: {S(t["bookingId"])}  场馆 venue: {S(t["venueId"])}  {S(t["date"])} {Hm(t["slot"])}  人数 headcount: {N(I(t["headcount"]))}");
                await session.Out.WriteLineAsync($"入场时间 valid: {S(t["validFrom"])} — {S(t["validUntil"])}");
            }
            if (parsed.GetValue(png) is { Length: > 0 } pngFile)
            {
                await SaveAsync(session, pngFile, (await session.GetAsync(path + "/ticket.png")).ToArray(), "二维码 PNG");
            }
            if (parsed.GetValue(svg) is { Length: > 0 } svgFile)
            {
                await SaveAsync(session, svgFile, (await session.GetAsync(path + "/ticket.svg")).ToArray(), "二维码 SVG");
            }
            if (parsed.GetValue(ics) is { Length: > 0 } icsFile)
            {
                await SaveAsync(session, icsFile, (await session.GetAsync(path + "/calendar.ics")).ToArray(), "日历 calendar");
            }
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(ticket);
    }
}

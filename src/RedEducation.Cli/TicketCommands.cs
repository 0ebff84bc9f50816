using System.CommandLine;
using System.Net.Http.Headers;
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

    private static void AddCheckInCommands(RootCommand root)
    {
        var venueId = Text("venueId", "场馆编号 venue id");
        var code = new Option<string?>("--code") { Description = "凭证码 the ticket code" };
        var image = new Option<string?>("--image") { Description = "凭证照片 a PNG or JPEG photo of the ticket's QR code" };
        var admit = new Option<int?>("--admit") { Description = "放行人数 how many to admit (default: everyone not yet in)" };
        var nonce = new Option<string?>("--nonce") { Description = "扫描编号 scan id: the same nonce twice admits once" };
        var checkin = new Command("checkin", "检票入场 admit a group (staff)") { venueId, code, image, admit, nonce };
        checkin.Validators.Add(result =>
        {
            if ((result.GetValue(code) is { Length: > 0 }) == (result.GetValue(image) is { Length: > 0 }))
            {
                result.AddError("需要 --code 或 --image 之一 give exactly one of --code and --image");
            }
        });
        Handle(checkin, async (parsed, session) =>
        {
            var path = $"api/venues/{Session.Escape(parsed.GetValue(venueId)!)}/checkins";
            Reply reply;
            if (parsed.GetValue(image) is { Length: > 0 } file)
            {
                if (!File.Exists(file))
                {
                    throw new UsageException($"找不到文件 no such file: {file}");
                }
                using var form = new MultipartFormDataContent();
                var picture = new ByteArrayContent(await File.ReadAllBytesAsync(file, session.CancellationToken));
                picture.Headers.ContentType = new MediaTypeHeaderValue(
                    file.EndsWith(".png", StringComparison.OrdinalIgnoreCase) ? "image/png" : "image/jpeg");
                form.Add(picture, "image", Path.GetFileName(file));
                if (parsed.GetValue(admit) is { } count)
                {
                    form.Add(new StringContent(N(count)), "admit");
                }
                if (parsed.GetValue(nonce) is { Length: > 0 } scanId)
                {
                    form.Add(new StringContent(scanId), "nonce");
                }
                reply = await session.PostContentAsync(path + "/image", form);
            }
            else
            {
                reply = await session.PostAsync(path, new { code = parsed.GetValue(code), admit = parsed.GetValue(admit), nonce = parsed.GetValue(nonce) });
            }
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var r = reply.Node;
            var duplicate = r["duplicate"] is JsonValue d && d.TryGetValue<bool>(out var dup) && dup;
            await session.Out.WriteLineAsync(duplicate
                ? $"重复扫描，未再放行 duplicate scan, nobody more admitted (booking {S(r["bookingId"])})"
                : $"放行 admitted: {N(I(r["admitted"]))}  (预约 booking {S(r["bookingId"])})");
            await session.Out.WriteLineAsync($"已到 arrived: {N(I(r["arrived"]))}/{N(I(r["headcount"]))}  未到 remaining: {N(I(r["remaining"]))}");
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(checkin);

        var date = DateArgument();
        var outFile = new Option<string?>("--out") { Description = "保存离线清单 save the manifest JSON to this file" };
        var manifest = new Command("manifest", "离线检票清单 the offline check-in bundle of a day (staff)") { venueId, date, outFile };
        Handle(manifest, async (parsed, session) =>
        {
            var reply = await session.GetAsync($"api/venues/{Session.Escape(parsed.GetValue(venueId)!)}/manifest?date={parsed.GetValue(date)}");
            if (parsed.GetValue(outFile) is { Length: > 0 } file)
            {
                await SaveAsync(session, file, reply.ToArray(), "离线清单 manifest");
            }
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var m = reply.Node;
            await session.Out.WriteLineAsync($"{S(m["venueId"])}  {S(m["date"])}  生成于 generated at {S(m["generatedAt"])}");
            await session.Out.WriteLineAsync(
                $"验证公钥 verification keys: {m["keys"]?.AsArray().Count ?? 0}  已吊销 revoked: {m["revoked"]?.AsArray().Count ?? 0}  已取消 cancelled: {m["cancelled"]?.AsArray().Count ?? 0}");
            var table = new TextTable("预约 booking", "单位 unit", "时段 slot", "人数 headcount", "已到 arrived");
            foreach (var g in m["expected"]?.AsArray() ?? [])
            {
                table.Add(S(g!["bookingId"]), S(g["unitId"]), Hm(g["slot"]), N(I(g["headcount"])), N(I(g["arrived"])));
            }
            await session.Out.WriteLineAsync($"预计团体 expected groups: {table.Count}");
            if (table.Count > 0)
            {
                table.WriteTo(session.Out);
            }
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(manifest);

        var occupancy = new Command("occupancy", "到场情况 booked against arrived per slot (staff)") { venueId, date };
        Handle(occupancy, async (parsed, session) =>
        {
            var reply = await session.GetAsync($"api/venues/{Session.Escape(parsed.GetValue(venueId)!)}/occupancy?date={parsed.GetValue(date)}");
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var o = reply.Node;
            await session.Out.WriteLineAsync($"{S(o["venueId"])}  {S(o["date"])}");
            var table = new TextTable("时段 slot", "容量 capacity", "已订 booked", "团体 groups", "已到 arrived", "已到团体 groups in", "强制 forced");
            foreach (var s in o["slots"]?.AsArray() ?? [])
            {
                table.Add($"{Hm(s!["start"])}-{Hm(s["end"])}", N(I(s["capacity"])), N(I(s["booked"])), N(I(s["groups"])),
                    N(I(s["arrived"])), N(I(s["groupsArrived"])), N(I(s["forced"])));
            }
            table.WriteTo(session.Out);
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(occupancy);
    }
}

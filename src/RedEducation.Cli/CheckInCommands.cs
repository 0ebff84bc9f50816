using System.CommandLine;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

public static partial class Cli
{
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
            var path = $"{VenuePath(parsed.GetValue(venueId)!)}/checkins";
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
            var reply = await session.GetAsync($"{VenuePath(parsed.GetValue(venueId)!)}/manifest?date={parsed.GetValue(date)}");
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
            var reply = await session.GetAsync($"{VenuePath(parsed.GetValue(venueId)!)}/occupancy?date={parsed.GetValue(date)}");
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

    /// <summary><c>checkins sync|log|csv</c>: a desk's offline queue uploaded, and the day's scans and list for staff.</summary>
    private static void AddDeskCommands(RootCommand root)
    {
        var checkins = new Command("checkins", "检票记录 offline uploads, the scan log and the day's list (staff)");
        var venueId = Text("venueId", "场馆编号 venue id");
        var date = DateArgument();

        var file = Text("file", "离线扫描队列 a JSON array of queued scans: [{\"code\", \"admit\", \"nonce\", \"scannedAt\", \"desk\"?}]");
        var sync = new Command("sync", "上传离线扫描 upload scans queued while offline; each is judged at its time of scan") { venueId, file };
        Handle(sync, async (parsed, session) =>
        {
            var queue = ReadJsonFile(parsed.GetValue(file)!) as JsonArray
                ?? throw new UsageException("离线队列须为 JSON 数组 the file must hold a JSON array of scans");
            var reply = await session.PostAsync($"{VenuePath(parsed.GetValue(venueId)!)}/checkins/sync", queue);
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var table = new TextTable("#", "扫描编号 nonce", "结果 outcome", "预约 booking", "放行 admitted", "已到 arrived", "超员 forced");
            int admitted = 0, people = 0, duplicates = 0, refused = 0, forced = 0;
            foreach (var item in reply.Node.AsArray())
            {
                var outcome = S(item!["outcome"]);
                var forcedNow = item["forcedNow"] is JsonValue f && f.TryGetValue<bool>(out var yes) && yes;
                switch (outcome)
                {
                    case "admitted":
                        admitted++;
                        people += I(item["admitted"]);
                        break;
                    case "duplicate":
                        duplicates++;
                        break;
                    default:
                        refused++;
                        break;
                }
                forced += forcedNow ? 1 : 0;
                table.Add(N(I(item["index"]) + 1), S(item["nonce"]), OutcomeText(outcome), S(item["bookingId"]), N(I(item["admitted"])),
                    outcome is "admitted" or "duplicate" ? $"{N(I(item["arrived"]))}/{N(I(item["headcount"]))}" : "", forcedNow ? "超员 FORCED" : "");
            }
            table.WriteTo(session.Out);
            await session.Out.WriteLineAsync(
                $"已上传 uploaded {N(table.Count)}: 放行 admitted {N(admitted)} ({N(people)} 人 people), 重复 duplicates {N(duplicates)}, 拒绝 refused {N(refused)}, 超员 forced {N(forced)}");
            if (forced > 0)
            {
                await session.Out.WriteLineAsync("超员记录需人工复核 forced admissions (two desks let the same group in) are kept for staff to review");
            }
            return ExitCodes.Ok;
        });
        checkins.Subcommands.Add(sync);

        var log = new Command("log", "扫描记录 every admission and refusal of a day, with desk, staff and times") { venueId, date };
        Handle(log, async (parsed, session) =>
        {
            var venue = parsed.GetValue(venueId)!;
            var reply = await session.GetAsync($"{VenuePath(venue)}/checkins?date={parsed.GetValue(date)}");
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var zone = await VenueZoneAsync(session, venue);
            var table = new TextTable("扫描 scanned", "收到 received", "柜台 desk", "工作人员 staff", "预约 booking", "放行 admitted", "结果 outcome", "离线 offline");
            foreach (var e in reply.Node.AsArray())
            {
                table.Add(LocalTime(e!["scannedAt"], zone), LocalTime(e["receivedAt"], zone), S(e["desk"]), S(e["staff"]), S(e["bookingId"]),
                    $"{N(I(e["admitted"]))}/{(e["requested"] is null ? "all" : N(I(e["requested"])))}",
                    OutcomeText(S(e["outcome"])) + (I(e["forced"]) > 0 ? " 超员 FORCED" : ""), YesNo(e["offline"]));
            }
            await session.Out.WriteLineAsync($"{venue}  {parsed.GetValue(date)}  扫描 scans: {N(table.Count)}  ({zone.Id})");
            if (table.Count > 0)
            {
                table.WriteTo(session.Out);
            }
            return ExitCodes.Ok;
        });
        checkins.Subcommands.Add(log);

        var outFile = new Option<string?>("--out") { Description = "保存为 CSV save the list to this file (UTF-8 with BOM, opens in spreadsheets)" };
        var csv = new Command("csv", "当日名单 the day's groups with arrivals, as CSV (to standard output or --out)") { venueId, date, outFile };
        Handle(csv, async (parsed, session) =>
        {
            var reply = await session.GetAsync($"{VenuePath(parsed.GetValue(venueId)!)}/checkins.csv?date={parsed.GetValue(date)}");
            if (parsed.GetValue(outFile) is { Length: > 0 } target)
            {
                await SaveAsync(session, target, reply.ToArray(), "名单 CSV");
            }
            var text = reply.Text.TrimStart('\uFEFF');
            if (session.Json)
            {
                await session.Out.WriteLineAsync(CsvToJson(text).ToJsonString());
            }
            else if (parsed.GetValue(outFile) is not { Length: > 0 })
            {
                await session.Out.WriteAsync(text.ReplaceLineEndings());
            }
            return ExitCodes.Ok;
        });
        checkins.Subcommands.Add(csv);
        root.Subcommands.Add(checkins);
    }

    private static string OutcomeText(string outcome) => outcome switch
    {
        "admitted" => "放行 admitted",
        "duplicate" => "重复 duplicate",
        _ => $"拒绝 refused: {outcome}",
    };

    private static async Task<TimeZoneInfo> VenueZoneAsync(Session session, string venueId) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(S((await session.GetAsync(VenuePath(venueId))).Node["timeZone"]), out var zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>An instant as the venue's wall-clock time, which is what staff at the desk compare with.</summary>
    private static string LocalTime(JsonNode? instant, TimeZoneInfo zone) =>
        DateTimeOffset.TryParse(S(instant), CultureInfo.InvariantCulture, DateTimeStyles.None, out var at)
            ? TimeZoneInfo.ConvertTime(at, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture)
            : S(instant);

    /// <summary>RFC 4180 text (a header row, quoted fields with doubled quotes) as an array of objects keyed by the header.</summary>
    private static JsonArray CsvToJson(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\n')
            {
                row.Add(field.ToString());
                field.Clear();
                rows.Add(row);
                row = [];
            }
            else if (c != '\r')
            {
                field.Append(c);
            }
        }
        if (field.Length > 0 || row.Count > 0)
        {
            row.Add(field.ToString());
            rows.Add(row);
        }
        var result = new JsonArray();
        if (rows.Count == 0)
        {
            return result;
        }
        foreach (var values in rows.Skip(1))
        {
            var item = new JsonObject();
            for (var i = 0; i < rows[0].Count && i < values.Count; i++)
            {
                item[rows[0][i]] = int.TryParse(values[i], NumberStyles.None, CultureInfo.InvariantCulture, out var number) && rows[0][i] is not ("booking_id" or "unit_id" or "contact_phone")
                    ? JsonValue.Create(number)
                    : JsonValue.Create(values[i]);
            }
            result.Add(item);
        }
        return result;
    }
}

using System.CommandLine;
using System.Text.Json.Nodes;

namespace RedEducation.Cli;

public static partial class Cli
{
    private static void AddBookingCommands(RootCommand root)
    {
        var venueId = Text("venueId", "场馆编号 venue id");
        var date = DateArgument();
        var slot = SlotArgument();
        var headcount = Number("headcount", "人数 number of people");
        var contactName = new Option<string>("--contact-name") { Description = "联系人 contact person", Required = true };
        var contactPhone = new Option<string>("--contact-phone") { Description = "联系电话 contact phone", Required = true };
        var waitlist = new Option<bool>("--waitlist") { Description = "名额不足时候补 join the waitlist if the slot is full" };
        var key = new Option<string?>("--key") { Description = "幂等键 Idempotency-Key (default: a new GUID, printed so that you can retry with it)" };
        var book = new Command("book", "预约 book a group visit") { venueId, date, slot, headcount, contactName, contactPhone, waitlist, key };
        Handle(book, async (parsed, session) =>
        {
            var idempotencyKey = await IdempotencyKeyAsync(session, parsed.GetValue(key));
            var reply = await session.PostAsync("api/bookings", new
            {
                venueId = parsed.GetValue(venueId),
                date = parsed.GetValue(date),
                slot = parsed.GetValue(slot),
                headcount = parsed.GetValue(headcount),
                contactName = parsed.GetValue(contactName),
                contactPhone = parsed.GetValue(contactPhone),
                waitlist = parsed.GetValue(waitlist),
            }, idempotencyKey);
            return await ShowBookingAsync(session, reply);
        });
        root.Subcommands.Add(book);

        var bookings = new Command("bookings", "本单位的预约 your unit's bookings");
        Handle(bookings, async (_, session) =>
        {
            var reply = await session.GetAsync("api/bookings");
            if (session.Json)
            {
                return session.WriteJson(reply);
            }
            var table = new TextTable("编号 id", "场馆 venue", "日期 date", "时段 slot", "人数 headcount", "状态 status");
            foreach (var b in reply.Node.AsArray())
            {
                table.Add(S(b!["id"]), S(b["venueId"]), S(b["date"]), Hm(b["slot"]), N(I(b["headcount"])), Status(b));
            }
            if (table.Count == 0)
            {
                await session.Out.WriteLineAsync("暂无预约 no bookings");
                return ExitCodes.Ok;
            }
            table.WriteTo(session.Out);
            return ExitCodes.Ok;
        });
        root.Subcommands.Add(bookings);

        var id = Text("id", "预约编号 booking id");
        var show = new Command("booking", "预约详情 one booking") { id };
        Handle(show, async (parsed, session) => await ShowBookingAsync(session, await session.GetAsync(BookingPath(parsed.GetValue(id)!))));
        root.Subcommands.Add(show);

        var newHeadcount = Number("headcount", "新人数 new number of people");
        var resize = new Command("resize", "修改人数 change the headcount") { id, newHeadcount };
        Handle(resize, async (parsed, session) =>
            await ShowBookingAsync(session, await session.PatchAsync(BookingPath(parsed.GetValue(id)!), new { headcount = parsed.GetValue(newHeadcount) })));
        root.Subcommands.Add(resize);

        var cancel = new Command("cancel", "取消预约 cancel a booking") { id };
        Handle(cancel, async (parsed, session) =>
            await ShowBookingAsync(session, await session.PostAsync(BookingPath(parsed.GetValue(id)!) + "/cancel", new { })));
        root.Subcommands.Add(cancel);

        var newDate = DateArgument();
        var newSlot = SlotArgument();
        var reschedule = new Command("reschedule", "改期 move a booking (all or nothing)") { id, newDate, newSlot };
        Handle(reschedule, async (parsed, session) =>
            await ShowBookingAsync(session, await session.PostAsync(
                BookingPath(parsed.GetValue(id)!) + "/reschedule", new { date = parsed.GetValue(newDate), slot = parsed.GetValue(newSlot) })));
        root.Subcommands.Add(reschedule);
    }

    /// <summary>The key given with --key, or a new one, printed before the request so that a retry after a lost answer can reuse it.</summary>
    private static async Task<string> IdempotencyKeyAsync(Session session, string? given)
    {
        if (given is { Length: > 0 })
        {
            return given;
        }
        var key = Guid.NewGuid().ToString();
        await session.Error.WriteLineAsync($"幂等键 idempotency key: {key}  (重试请用 retry with --key {key})");
        return key;
    }

    private static string BookingPath(string id) => $"api/bookings/{Session.Escape(id)}";

    private static string Status(JsonNode? booking) => S(booking?["status"]) switch
    {
        "confirmed" => "已确认 confirmed",
        "waitlisted" => booking?["waitlistPosition"] is { } position ? $"候补 waitlisted #{S(position)}" : "候补 waitlisted",
        "cancelled" => "已取消 cancelled",
        "pending" => "处理中 pending",
        var other => other,
    };

    private static async Task<int> ShowBookingAsync(Session session, Reply reply)
    {
        if (session.Json)
        {
            return session.WriteJson(reply);
        }
        var b = reply.Node;
        var output = session.Out;
        await output.WriteLineAsync($"预约 booking: {S(b["id"])}");
        await output.WriteLineAsync($"状态 status: {Status(b)}");
        if (b["venueId"] is not null)
        {
            await output.WriteLineAsync($"场馆 venue: {S(b["venueId"])}");
            await output.WriteLineAsync($"日期 date: {S(b["date"])}  时段 slot: {Hm(b["slot"])}");
            await output.WriteLineAsync($"人数 headcount: {N(I(b["headcount"]))}");
            await output.WriteLineAsync($"单位 unit: {S(b["unitId"])}");
        }
        if (b["contactName"] is not null)
        {
            await output.WriteLineAsync($"联系人 contact: {S(b["contactName"])} {S(b["contactPhone"])}");
        }
        if (b["ticket"]?["code"] is { } code)
        {
            await output.WriteLineAsync($"凭证 ticket code: {S(code)}");
        }
        return ExitCodes.Ok;
    }
}

using System.Globalization;
using System.Text.Json.Nodes;

namespace RedEducation.Cli.Tests;

public sealed class DeskCommandTests(CliServer server)
{
    private readonly string _staff = "staff-" + CliServer.Venue;

    private string Day => server.VisitDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task CheckinsSync_TwoOfflineDesksOverAdmitAGroup_KeepsBothAsForcedSkipsTheRepeatAndRefusesAForgery()
    {
        var (id, code) = await BookAsync("15:00", 10);
        var queue = Path.Combine(server.Root, $"queue-{id}.json");
        await File.WriteAllTextAsync(queue, new JsonArray(
            Scan(code, 6, $"a-{id}", "14:40", "desk-1"),
            Scan(code, 6, $"b-{id}", "14:42", "desk-2"),
            Scan(code, 6, $"a-{id}", "14:40", "desk-1"),
            Scan("NOTATICKET" + code[10..], 1, $"c-{id}", "14:45", "desk-1")).ToJsonString(), TestContext.Current.CancellationToken);

        using (server.ClockAt(server.VisitDay, new TimeOnly(15, 10)))
        {
            var run = await server.RunAsAsync(_staff, "checkins", "sync", CliServer.Venue, queue);
            var list = await server.RunAsAsync(_staff, "checkins", "csv", CliServer.Venue, Day, "--json");
            var log = await server.RunAsAsync(_staff, "checkins", "log", CliServer.Venue, Day);

            Assert.True(run.Exit == 0, run.ToString());
            Assert.Contains("超员 FORCED", run.Out, StringComparison.Ordinal);
            Assert.Contains("放行 admitted 2 (12 人 people), 重复 duplicates 1, 拒绝 refused 1, 超员 forced 1", run.Out, StringComparison.Ordinal);
            Assert.Contains("拒绝 refused: invalid-code", run.Out, StringComparison.Ordinal);
            var row = JsonNode.Parse(list.Out)!.AsArray().Single(r => (string?)r!["booking_id"] == id)!;
            Assert.Equal(12, (int)row["arrived"]!);
            Assert.True((int)row["forced"]! > 0, row.ToJsonString());
            Assert.True(log.Exit == 0, log.ToString());
            Assert.Contains("14:42:00", log.Out, StringComparison.Ordinal); // the scan's own time, in the venue's zone
            Assert.Contains("desk-2", log.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task CheckinsSync_AScanDatedInTheFuture_ExitsOneAndAppliesNothing()
    {
        var (id, code) = await BookAsync("15:00", 11);
        var queue = Path.Combine(server.Root, $"future-{id}.json");
        await File.WriteAllTextAsync(queue, new JsonArray(
            Scan(code, 5, $"ok-{id}", "14:40", "desk-1"),
            Scan(code, 5, $"later-{id}", "17:00", "desk-1")).ToJsonString(), TestContext.Current.CancellationToken);

        using (server.ClockAt(server.VisitDay, new TimeOnly(15, 10)))
        {
            var run = await server.RunAsAsync(_staff, "checkins", "sync", CliServer.Venue, queue);
            var list = await server.RunAsAsync(_staff, "checkins", "csv", CliServer.Venue, Day, "--json");

            Assert.True(run.Exit == 1, run.ToString());
            Assert.Contains("nothing was applied", run.Err, StringComparison.Ordinal);
            Assert.Contains("[1]", run.Err, StringComparison.Ordinal);
            Assert.Equal(0, (int)JsonNode.Parse(list.Out)!.AsArray().Single(r => (string?)r!["booking_id"] == id)!["arrived"]!);
        }
    }

    [Fact]
    public async Task CheckinsSync_NoSuchFile_ExitsTwo()
    {
        var run = await server.RunAsAsync(_staff, "checkins", "sync", CliServer.Venue, Path.Combine(server.Root, "no-queue.json"));

        Assert.Equal(2, run.Exit);
        Assert.Contains("no such file", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckinsCsv_Out_SavesTheDaysListWithABomForSpreadsheets()
    {
        var (id, _) = await BookAsync("14:00", 12);
        var file = Path.Combine(server.Root, $"list-{id}.csv");

        var run = await server.RunAsAsync(_staff, "checkins", "csv", CliServer.Venue, Day, "--out", file);
        var printed = await server.RunAsAsync(_staff, "checkins", "csv", CliServer.Venue, Day);

        Assert.True(run.Exit == 0, run.ToString());
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        Assert.Equal(new byte[] { 0xEF, 0xBB, 0xBF }, bytes[..3]);
        Assert.Contains($",{id},", System.Text.Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.StartsWith("slot,booking_id,unit_id,unit_name,status,headcount,arrived", printed.Out, StringComparison.Ordinal);
        Assert.Contains("李四", printed.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CheckinsLog_OtherVenuesStaff_ExitsOneForbidden()
    {
        var run = await server.RunAsAsync("staff-" + CliServer.OtherVenue, "checkins", "log", CliServer.Venue, Day);

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("/problems/forbidden", run.Err, StringComparison.Ordinal);
    }

    private JsonObject Scan(string code, int admit, string nonce, string time, string desk) => new()
    {
        ["code"] = code,
        ["admit"] = admit,
        ["nonce"] = nonce,
        ["scannedAt"] = $"{Day}T{time}:00+08:00",
        ["desk"] = desk,
    };

    private async Task<(string Id, string Code)> BookAsync(string slot, int headcount)
    {
        var run = await server.RunAsAsync("unit1",
            "book", CliServer.Venue, Day, slot, headcount.ToString(CultureInfo.InvariantCulture), "--contact-name", "李四", "--contact-phone", "13900000000", "--json");
        Assert.True(run.Exit == 0, run.ToString());
        var booking = JsonNode.Parse(run.Out)!;
        return ((string)booking["id"]!, (string)booking["ticket"]!["code"]!);
    }
}

using System.Globalization;
using System.Text.Json;
using RedEducation.Geo.Testing;

namespace RedEducation.Cli.Tests;

public sealed class TicketCommandTests(CliServer server)
{
    private static readonly byte[] PngSignature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly string _staff = "staff-" + CliServer.Venue;

    private string Day => server.VisitDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Ticket_WithFiles_PrintsTheCodeAndSavesPngSvgAndCalendar()
    {
        var id = await BookAsync("10:00", 20);
        var dir = Path.Combine(server.Root, "ticket-" + Guid.NewGuid().ToString("N"));
        var png = Path.Combine(dir, "t.png");
        var svg = Path.Combine(dir, "t.svg");
        var ics = Path.Combine(dir, "t.ics");

        var run = await server.RunAsAsync("unit1", "ticket", id, "--png", png, "--svg", svg, "--ics", ics);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Matches(@"凭证 ticket code: [A-Z2-7]{100,}", run.Out);
        Assert.Equal(PngSignature, File.ReadAllBytes(png).Take(8).ToArray());
        Assert.Contains("<svg", File.ReadAllText(svg), StringComparison.Ordinal);
        Assert.StartsWith("BEGIN:VCALENDAR", File.ReadAllText(ics), StringComparison.Ordinal);
        Assert.Contains("已保存 saved", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Checkin_CodeAtTheVisit_AdmitsPartThenTheRestAndOccupancyShowsThem()
    {
        var id = await BookAsync("10:00", 20);
        var code = await CodeAsync(id);

        using (server.ClockAt(server.VisitDay, new TimeOnly(9, 45)))
        {
            var part = await server.RunAsAsync(_staff, "checkin", CliServer.Venue, "--code", code, "--admit", "5", "--nonce", "n-" + id);
            var again = await server.RunAsAsync(_staff, "checkin", CliServer.Venue, "--code", code, "--admit", "5", "--nonce", "n-" + id);
            var rest = await server.RunAsAsync(_staff, "checkin", CliServer.Venue, "--code", code);
            var occupancy = await server.RunAsAsync(_staff, "occupancy", CliServer.Venue, Day);

            Assert.True(part.Exit == 0, part.ToString());
            Assert.Contains("放行 admitted: 5", part.Out, StringComparison.Ordinal);
            Assert.Contains("已到 arrived: 5/20", part.Out, StringComparison.Ordinal);
            Assert.True(again.Exit == 0, again.ToString());
            Assert.Contains("已到 arrived: 5/20", again.Out, StringComparison.Ordinal);
            Assert.True(rest.Exit == 0, rest.ToString());
            Assert.Contains("放行 admitted: 15", rest.Out, StringComparison.Ordinal);
            Assert.True(occupancy.Exit == 0, occupancy.ToString());
            Assert.Contains("已到 arrived", occupancy.Out, StringComparison.Ordinal);
            Assert.Contains("10:00-11:00", occupancy.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Checkin_TooManyAdmitted_ExitsOneOverHeadcount()
    {
        var code = await CodeAsync(await BookAsync("11:00", 10));

        using (server.ClockAt(server.VisitDay, new TimeOnly(10, 45)))
        {
            var run = await server.RunAsAsync(_staff, "checkin", CliServer.Venue, "--code", code, "--admit", "11");

            Assert.True(run.Exit == 1, run.ToString());
            Assert.Contains("/problems/over-headcount", run.Err, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Checkin_PhotoOfTheQrCode_AdmitsTheGroup()
    {
        var id = await BookAsync("13:00", 8);
        var png = Path.Combine(server.Root, $"qr-{id}.png");
        var ticket = await server.RunAsAsync("unit1", "ticket", id, "--png", png);
        Assert.True(ticket.Exit == 0, ticket.ToString());

        using (server.ClockAt(server.VisitDay, new TimeOnly(12, 30)))
        {
            var run = await server.RunAsAsync(_staff, "checkin", CliServer.Venue, "--image", png);

            Assert.True(run.Exit == 0, run.ToString());
            Assert.Contains("放行 admitted: 8", run.Out, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Checkin_NeitherCodeNorImage_ExitsTwo()
    {
        var run = await server.RunAsAsync(_staff, "checkin", CliServer.Venue);

        Assert.Equal(2, run.Exit);
        Assert.Contains("--code", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifest_WithOut_SavesTheJsonAndListsExpectedGroups()
    {
        var id = await BookAsync("14:00", 9);
        var file = Path.Combine(server.Root, $"manifest-{id}.json");

        var run = await server.RunAsAsync(_staff, "manifest", CliServer.Venue, Day, "--out", file);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains(id, run.Out, StringComparison.Ordinal);
        Assert.Contains("验证公钥 verification keys: 1", run.Out, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(file));
        Assert.Contains(id, json.RootElement.GetProperty("expected").EnumerateArray().Select(g => g.GetProperty("bookingId").GetString()));
    }

    [Fact]
    public async Task Manifest_UnitAccount_ExitsOneForbidden()
    {
        var run = await server.RunAsAsync("unit1", "manifest", CliServer.Venue, Day);

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("403", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportOsm_ServerBesideTheTests_RunsTheServersImportAndStreamsItsProgress()
    {
        var data = Path.Combine(server.Root, "import-" + Guid.NewGuid().ToString("N"));
        var dll = Path.Combine(AppContext.BaseDirectory, "RedEducation.Server.dll");

        var run = await server.RunAnonymousAsync("import-osm", GeoData.MonacoPbfPath, "--data-dir", data, "--server-dll", dll);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("imported", run.Out, StringComparison.Ordinal);
        // Output that is not a terminal gets the progress as plain lines, no bar.
        Assert.Contains("ways:", run.Out, StringComparison.Ordinal);
        Assert.Contains("% of the file)", run.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(data, "roads", "graph.bin")), run.ToString());
    }

    [Fact]
    public async Task ImportOsm_ProgressBarAndJson_DrawsABarPerPassOnStandardErrorAndPrintsTheSummaryAsJson()
    {
        var data = Path.Combine(server.Root, "import-" + Guid.NewGuid().ToString("N"));
        var dll = Path.Combine(AppContext.BaseDirectory, "RedEducation.Server.dll");

        var run = await server.RunAnonymousAsync("import-osm", GeoData.MonacoPbfPath, "--data-dir", data, "--server-dll", dll, "--progress", "bar", "--json");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("\r读取道路 ways", run.Err, StringComparison.Ordinal);
        Assert.Contains("[" + new string('#', 30) + "] 100%", run.Err, StringComparison.Ordinal);
        Assert.Contains("\r建图 graph", run.Err, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(run.Out);
        Assert.True(summary.RootElement.GetProperty("nodes").GetInt64() > 1000, run.Out);
        Assert.True(summary.RootElement.GetProperty("edges").GetInt64() > 1000, run.Out);
        Assert.Equal(Path.Combine(data, "roads", "graph.bin"), summary.RootElement.GetProperty("graphFile").GetString());
    }

    [Fact]
    public async Task ImportOsm_NoServerProgram_PrintsTheCommandToRunAndExitsTwo()
    {
        var run = await server.RunAnonymousAsync("import-osm", "liaoning-latest.osm.pbf", "--server-dll", Path.Combine(server.Root, "missing.dll"));

        Assert.Equal(2, run.Exit);
        Assert.Contains("dotnet run -c Release --project src/RedEducation.Server -- import-osm", run.Err, StringComparison.Ordinal);
    }

    private async Task<string> BookAsync(string slot, int headcount)
    {
        var run = await server.RunAsAsync("unit1",
            "book", CliServer.Venue, Day, slot, headcount.ToString(CultureInfo.InvariantCulture), "--contact-name", "李四", "--contact-phone", "13900000000");
        return BookingCommandTests.IdOf(run);
    }

    private async Task<string> CodeAsync(string id)
    {
        var run = await server.RunAsAsync("unit1", "ticket", id, "--json");
        Assert.True(run.Exit == 0, run.ToString());
        using var json = JsonDocument.Parse(run.Out);
        return json.RootElement.GetProperty("code").GetString()!;
    }
}

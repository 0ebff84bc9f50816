using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using RedEducation.Domain.Tickets;
using RedEducation.Server.Tickets;

namespace RedEducation.Tickets.Tests;

public sealed class TicketCodeTests(TicketServer server)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TicketPng_DecodedByZbarimg_ChecksIn()
    {
        var booking = await server.BookAsync(8);
        var unit = await server.SignInAsync("unit1");
        var png = await unit.GetByteArrayAsync(new Uri($"/api/bookings/{Desk.Id(booking)}/ticket.png", UriKind.Relative), Ct);
        var file = Path.Combine(server.DataDirectory, $"{Desk.Id(booking)}.png");
        await File.WriteAllBytesAsync(file, png, Ct);

        var zbar = Process.Start(new ProcessStartInfo("zbarimg", ["--raw", "-q", file]) { RedirectStandardOutput = true })!;
        var decoded = (await zbar.StandardOutput.ReadToEndAsync(Ct)).Trim();
        await zbar.WaitForExitAsync(Ct);
        server.AtVisit();
        var (status, body) = await Desk.ScanAsync(await server.SignInAsync("staff-liaoshen-memorial"), decoded, 8);

        Assert.Equal(0, zbar.ExitCode);
        Assert.Equal(Desk.Code(booking), decoded);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(8, body["arrived"]!.GetValue<int>());
    }

    [Fact]
    public async Task TicketCode_FitsAVersionSixQrAtLevelM()
    {
        var booking = await server.BookAsync(8);

        var code = Desk.Code(booking);

        Assert.Equal(TicketCode.CodeLength, code.Length);
        Assert.True(QrImages.Version(code) <= 7, $"QR version {QrImages.Version(code)}");
        Assert.All(code, c => Assert.Contains(c, Base32.Alphabet));
    }

    [Fact]
    public async Task MutationCorpus_OverAThousandForgedOrWrongCodes_NoneAdmitted()
    {
        var booking = await server.BookAsync(30);
        var code = Desk.Code(booking);
        var bytes = Base32.Decode(code)!;
        var corpus = new List<(string Code, string Type)>();
        for (var bit = 0; bit < bytes.Length * 8; bit++)
        {
            var flipped = (byte[])bytes.Clone();
            flipped[bit / 8] ^= (byte)(1 << (bit % 8));
            corpus.Add((Base32.Encode(flipped), "invalid-code"));
        }
        for (var length = 1; length < code.Length; length += 1)
        {
            corpus.Add((code[..length], "invalid-code"));
        }
        corpus.Add((code + "A", "invalid-code"));
        for (var i = 0; i < 40; i++)
        {
            corpus.Add((code[..(i * 3)] + "01890!@#"[i % 8] + code[(i * 3 + 1)..], "invalid-code"));
        }
        for (var i = 0; i < 30; i++)
        {
            // Signed by a key that is not the server's, with the key id the server uses: a forger's best try.
            using var forger = Key.Create(TicketCode.Algorithm);
            var payload = bytes[..TicketCode.PayloadLength];
            payload[27] = (byte)(i + 1); // any headcount the forger likes
            corpus.Add((Base32.Encode([.. payload, .. TicketCode.Algorithm.Sign(forger, payload)]), "invalid-code"));
        }
        corpus.Add(("not a ticket at all", "invalid-code"));
        corpus.Add((new string('A', TicketCode.CodeLength), "invalid-code"));
        corpus.Add(("../../etc/passwd", "invalid-code"));
        corpus.Add(("票" + code[1..], "invalid-code"));
        var staff = await server.SignInAsync("staff-liaoshen-memorial");
        var otherStaff = await server.SignInAsync($"staff-{TicketServer.OtherVenue}");

        server.AtVisit();
        var refusals = new List<(string Expected, HttpStatusCode Status, string? Type)>();
        foreach (var (forged, type) in corpus)
        {
            var (status, body) = await Desk.ScanAsync(staff, forged, 1);
            refusals.Add((type, status, Desk.ProblemType(body)));
        }
        for (var i = 0; i < 10; i++)
        {
            var (status, body) = await Desk.ScanAsync(otherStaff, code, 1, venue: TicketServer.OtherVenue);
            refusals.Add(("wrong-venue", status, Desk.ProblemType(body)));
        }
        foreach (var (day, hour, type) in new[] { (-1, 10, "wrong-date"), (1, 10, "wrong-date"), (0, 7, "outside-window"), (0, 16, "outside-window") })
        {
            server.Clock.SetLocal(server.VisitDay.AddDays(day), new TimeOnly(hour, 0));
            var (status, body) = await Desk.ScanAsync(staff, code, 1);
            refusals.Add((type, status, Desk.ProblemType(body)));
        }
        server.AtVisit();
        var (_, first) = await Desk.ScanAsync(staff, code, 1, nonce: "once");
        for (var i = 0; i < 10; i++)
        {
            var (status, replay) = await Desk.ScanAsync(staff, code, 1, nonce: "once");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(replay["duplicate"]!.GetValue<bool>());
        }
        var unit = await server.SignInAsync("unit1");
        server.Clock.SetLocal(server.BookingDay, new TimeOnly(10, 0));
        (await unit.PatchAsJsonAsync($"/api/bookings/{Desk.Id(booking)}", new { headcount = 29 }, Ct)).EnsureSuccessStatusCode();
        server.AtVisit();
        for (var i = 0; i < 5; i++)
        {
            var (status, body) = await Desk.ScanAsync(staff, code, 1);
            refusals.Add(("revoked", status, Desk.ProblemType(body)));
        }

        Assert.True(refusals.Count >= 1000, $"only {refusals.Count} codes in the corpus");
        Assert.All(refusals, r =>
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, r.Status);
            Assert.Equal($"/problems/{r.Expected}", r.Type);
        });
        // Of all of it, only the one legitimate scan let anybody in.
        var manifest = await staff.GetFromJsonAsync<JsonObject>($"/api/venues/{TicketServer.Venue}/manifest?date={server.VisitDay:yyyy-MM-dd}", Ct);
        var group = manifest!["expected"]!.AsArray().Single(e => e!["bookingId"]!.GetValue<string>() == Desk.Id(booking))!;
        Assert.Equal(1, first["arrived"]!.GetValue<int>());
        Assert.Equal(1, group["arrived"]!.GetValue<int>());
    }

    [Fact]
    public async Task KeyRotation_OldCodesAdmitUntilTheirKeyIsRetired()
    {
        var admin = await server.SignInAsync("admin");
        var unit = await server.SignInAsync("unit1");
        var booking = await server.BookAsync(10);
        var oldCode = Desk.Code(booking);
        var keys = await admin.PostAsync(new Uri("/api/admin/ticket-keys", UriKind.Relative), null, Ct);
        keys.EnsureSuccessStatusCode();
        var newCode = (await unit.GetFromJsonAsync<JsonObject>($"/api/bookings/{Desk.Id(booking)}/ticket", Ct))!["code"]!.GetValue<string>();
        var oldKeyId = (await unit.GetFromJsonAsync<JsonObject>($"/api/bookings/{Desk.Id(booking)}/ticket", Ct))!["keyId"]!.GetValue<int>() - 1;
        server.AtVisit();
        var staff = await server.SignInAsync("staff-liaoshen-memorial");

        Assert.NotEqual(oldCode, newCode);
        Assert.Equal(HttpStatusCode.OK, (await Desk.ScanAsync(staff, oldCode, 1)).Status);
        Assert.Equal(HttpStatusCode.OK, (await Desk.ScanAsync(staff, newCode, 1)).Status);

        (await admin.DeleteAsync(new Uri($"/api/admin/ticket-keys/{oldKeyId}", UriKind.Relative), Ct)).EnsureSuccessStatusCode();

        var (retiredStatus, retired) = await Desk.ScanAsync(staff, oldCode, 1);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, retiredStatus);
        Assert.Equal("/problems/invalid-code", Desk.ProblemType(retired));
        Assert.Equal(HttpStatusCode.OK, (await Desk.ScanAsync(staff, newCode, 1)).Status);
        var activeKeyId = oldKeyId + 1;
        Assert.Equal(HttpStatusCode.Conflict, (await admin.DeleteAsync(new Uri($"/api/admin/ticket-keys/{activeKeyId}", UriKind.Relative), Ct)).StatusCode);
    }

    [Fact]
    public async Task TicketDocuments_PngSvgHtmlAndCalendar_DescribeTheVisit()
    {
        var booking = await server.BookAsync(16, slot: "14:00");
        var unit = await server.SignInAsync("unit1");
        var id = Desk.Id(booking);

        var png = await unit.GetByteArrayAsync(new Uri($"/api/bookings/{id}/ticket.png", UriKind.Relative), Ct);
        var svg = await unit.GetStringAsync(new Uri($"/api/bookings/{id}/ticket.svg", UriKind.Relative), Ct);
        var html = await unit.GetStringAsync(new Uri($"/api/bookings/{id}/ticket.html", UriKind.Relative), Ct);
        var ics = await unit.GetStringAsync(new Uri($"/api/bookings/{id}/calendar.ics", UriKind.Relative), Ct);
        var other = await (await server.SignInAsync("unit2")).GetAsync(new Uri($"/api/bookings/{id}/ticket.png", UriKind.Relative), Ct);

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png[..4]);
        Assert.Equal(Desk.Code(booking), QrImages.Decode(png));
        Assert.Contains("<svg", svg, StringComparison.Ordinal);
        Assert.Contains("辽沈战役纪念馆", html, StringComparison.Ordinal);
        Assert.Contains("沈阳市公安局皇姑分局", html, StringComparison.Ordinal);
        Assert.Contains("14:00", html, StringComparison.Ordinal);
        Assert.Contains("<svg", html, StringComparison.Ordinal);
        var start = new DateTimeOffset(server.VisitDay.ToDateTime(new TimeOnly(14, 0)), TimeSpan.FromHours(8)).UtcDateTime;
        Assert.Contains($"DTSTART:{start:yyyyMMdd'T'HHmmss'Z'}", ics, StringComparison.Ordinal);
        Assert.Contains($"UID:{id}@rededucation", ics, StringComparison.Ordinal);
        Assert.All(ics.Split("\r\n"), line => Assert.True(System.Text.Encoding.UTF8.GetByteCount(line) <= 75, line));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
    }

    [Fact]
    public async Task Ticket_WaitlistedBooking_HasNoTicketYet()
    {
        var admin = await server.SignInAsync("admin");
        (await admin.PatchAsJsonAsync($"/api/venues/{TicketServer.OtherVenue}", new { slotCapacity = 10, groupMax = 10 }, Ct)).EnsureSuccessStatusCode();
        try
        {
            await server.BookAsync(10, slot: "11:00", venue: TicketServer.OtherVenue);
            server.Clock.SetLocal(server.BookingDay, new TimeOnly(10, 0));
            var unit = await server.SignInAsync("unit2");
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings")
            {
                Content = JsonContent.Create(new
                {
                    venueId = TicketServer.OtherVenue, date = server.VisitDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    slot = "11:00", headcount = 5, contactName = "李", contactPhone = "13912345678", waitlist = true,
                }),
            };
            var waitlisted = await TicketServer.JsonAsync(await unit.SendAsync(request, Ct));
            var ticket = await unit.GetAsync(new Uri($"/api/bookings/{Desk.Id(waitlisted)}/ticket", UriKind.Relative), Ct);

            Assert.Equal("waitlisted", waitlisted["status"]!.GetValue<string>());
            Assert.Null(waitlisted["ticket"]);
            Assert.Equal(HttpStatusCode.Conflict, ticket.StatusCode);
            Assert.EndsWith("/not-confirmed", Desk.ProblemType(await TicketServer.JsonAsync(ticket)));
        }
        finally
        {
            (await admin.PatchAsJsonAsync($"/api/venues/{TicketServer.OtherVenue}", new { slotCapacity = 5000, groupMax = 500 }, Ct)).EnsureSuccessStatusCode();
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RedEducation.Testing;
using static RedEducation.Server.Tests.Infrastructure.Api;
using static RedEducation.Server.Tests.Infrastructure.SecurityWorld;

namespace RedEducation.Server.Tests.Infrastructure;

/// <summary>Who asks, in the access matrix: each role, and the cases at the edges of each.</summary>
public enum Who
{
    Anonymous,
    Unit,
    OtherUnit,
    Staff,
    OtherStaff,
    Planner,
    Admin,
    Disabled,
}

/// <summary>One route ("METHOD pattern"): the status each caller gets, and the request each caller sends (valid input).</summary>
public sealed record RouteRow(string Route, Func<Who, int> Expect, Func<Who, Task<Probe>> Request);

/// <summary>Every route of the server with its access rules: the rows of the access matrix, the targets of the bad-input corpus.</summary>
public static class RouteTable
{
    private static readonly Who[] Readers = [Who.Unit, Who.OtherUnit, Who.Planner, Who.Admin];

    /// <summary>Denied: no valid token, the wrong role or venue, or a booking the caller is not told exists.</summary>
    public static bool IsAllowed(int status) => status is not (401 or 403 or 404);


    /// <summary>Open to everyone, with or without a token.</summary>
    private static Func<Who, int> Public(int ok) => _ => ok;

    /// <summary>Any valid token; 401 without one (a disabled account's token is not valid).</summary>
    private static Func<Who, int> SignedIn(int ok) => w => w is Who.Anonymous or Who.Disabled ? 401 : ok;

    /// <summary>Only <paramref name="allowed"/>; other signed-in callers 403, callers without a valid token 401.</summary>
    private static Func<Who, int> Only(int ok, params Who[] allowed) => w => w is Who.Anonymous or Who.Disabled ? 401 : allowed.Contains(w) ? ok : 403;

    /// <summary>A booking of the unit: its owner and an administrator get <paramref name="ok"/>, another unit 404 (it is not told the booking exists).</summary>
    private static Func<Who, int> Owned(int ok) => w => w == Who.OtherUnit ? 404 : Only(ok, Who.Unit, Who.Admin)(w);

    public static IEnumerable<RouteRow> Rows(SecurityWorld w)
    {
        Task<Probe> Get(string path) => Task.FromResult(new Probe(HttpMethod.Get, path));
        Func<Who, Task<Probe>> Fixed(string path) => _ => Get(path);
        string Today() => w.Today;

        yield return new RouteRow("POST /api/auth/token", Public(200), _ => Task.FromResult(new Probe(HttpMethod.Post, "/api/auth/token", new JsonObject { ["username"] = "unit3", ["password"] = "demo" })));
        yield return new RouteRow("GET /api/me", SignedIn(200), Fixed("/api/me"));
        yield return new RouteRow("GET /api/venues/", Public(200), Fixed("/api/venues"));
        yield return new RouteRow("GET /api/venues/{venueId}", Public(200), Fixed($"/api/venues/{Venue}"));
        yield return new RouteRow("GET /api/venues/{venueId}/availability", Public(200), _ => Get($"/api/venues/{Venue}/availability?date={w.Booked.DateText}"));
        yield return new RouteRow("PATCH /api/venues/{venueId}", Only(200, Who.Admin), async _ =>
            new Probe(HttpMethod.Patch, $"/api/venues/{OtherVenue}", new JsonObject { ["dailyCap"] = (await w.Admin.GetObjectAsync($"/api/venues/{OtherVenue}")).Int("dailyCap") }));

        yield return new RouteRow("POST /api/bookings/", w2 => w2 == Who.OtherUnit ? 201 : Only(201, Who.Unit, Who.Admin)(w2), who => Task.FromResult(
            new Probe(HttpMethod.Post, "/api/bookings", BookingBody(w.NextDay(), 10, unitId: who == Who.Admin ? "unit1" : null))));
        yield return new RouteRow("GET /api/bookings/", w2 => w2 == Who.OtherUnit ? 403 : Only(200, Who.Unit, Who.Admin)(w2), Fixed("/api/bookings?unitId=unit1"));
        yield return new RouteRow("GET /api/bookings/{id}", Owned(200), async who => new Probe(HttpMethod.Get, $"/api/bookings/{await w.BookingFor(who)}"));
        yield return new RouteRow("PATCH /api/bookings/{id}", Owned(200), async who => new Probe(HttpMethod.Patch, $"/api/bookings/{await w.BookingFor(who)}", new JsonObject { ["headcount"] = 12 }));
        yield return new RouteRow("POST /api/bookings/{id}/cancel", Owned(200), async who => new Probe(HttpMethod.Post, $"/api/bookings/{await w.BookingFor(who)}/cancel"));
        yield return new RouteRow("POST /api/bookings/{id}/reschedule", Owned(200), async who =>
        {
            // The owner and the administrator move a fresh booking to a day of its own; the others try the shared one.
            var (id, target) = (w.BookingId, w.RescheduleTarget);
            if (who is Who.Unit or Who.Admin)
            {
                var (fresh, day) = await w.FreshBookingAsync();
                (id, target) = (fresh, w.NextDay(day.VenueId));
            }
            return new Probe(HttpMethod.Post, $"/api/bookings/{id}/reschedule", new JsonObject { ["date"] = target.DateText, ["slot"] = target.FirstSlot });
        });
        foreach (var document in new[] { "ticket", "ticket.png", "ticket.svg", "ticket.html", "calendar.ics" })
        {
            yield return new RouteRow($"GET /api/bookings/{{id}}/{document}", Owned(200), async who => new Probe(HttpMethod.Get, $"/api/bookings/{await w.BookingFor(who)}/{document}"));
        }

        yield return new RouteRow("GET /api/admin/ticket-keys/", Only(200, Who.Admin), Fixed("/api/admin/ticket-keys"));
        yield return new RouteRow("POST /api/admin/ticket-keys/", Only(200, Who.Admin), _ => Task.FromResult(new Probe(HttpMethod.Post, "/api/admin/ticket-keys")));
        yield return new RouteRow("DELETE /api/admin/ticket-keys/{keyId:int}", Only(200, Who.Admin), async _ => new Probe(HttpMethod.Delete, $"/api/admin/ticket-keys/{await w.RetirableKeyAsync()}"));

        // Check-in at the staff member's venue: the tickets are for days ahead, so an allowed scan is refused as wrong-date.
        var desk = new[] { Who.Staff, Who.Admin };
        yield return new RouteRow("POST /api/venues/{venueId}/checkins", w2 => desk.Contains(w2) ? 422 : Only(0)(w2), async _ =>
            new Probe(HttpMethod.Post, $"/api/venues/{Venue}/checkins", new JsonObject { ["code"] = await w.TicketCodeAsync(), ["admit"] = 1 }));
        yield return new RouteRow("POST /api/venues/{venueId}/checkins/image", w2 => desk.Contains(w2) ? 422 : Only(0)(w2), _ => Task.FromResult(Probe.Image($"/api/venues/{Venue}/checkins/image")));
        yield return new RouteRow("POST /api/venues/{venueId}/checkins/sync", Only(200, desk), async _ => new Probe(HttpMethod.Post, $"/api/venues/{Venue}/checkins/sync", new JsonArray(new JsonObject
        {
            ["code"] = await w.TicketCodeAsync(), ["admit"] = 1, ["nonce"] = NewKey(), ["scannedAt"] = DateTimeOffset.UtcNow.AddMinutes(-10).ToString("O"),
        })));
        foreach (var read in new[] { "checkins", "checkins.csv", "manifest", "occupancy" })
        {
            yield return new RouteRow($"GET /api/venues/{{venueId}}/{read}", Only(200, desk), _ => Get($"/api/venues/{Venue}/{read}?date={Today()}"));
        }

        yield return new RouteRow("GET /api/routes/shortest", Only(200, Readers), Fixed($"/api/routes/shortest?from={Venue}&to={OtherVenue}"));
        yield return new RouteRow("POST /api/routes/plan", Only(200, Readers), _ =>
        {
            // Planning books nothing, so any open day will do.
            var day = new VenueDay(OtherVenue, TestDates.NextOpen(TestVenues.Seed(OtherVenue), 5));
            return Task.FromResult(new Probe(HttpMethod.Post, "/api/routes/plan", new JsonObject
            {
                ["start"] = Venue, ["venues"] = new JsonArray(OtherVenue), ["date"] = day.DateText, ["departAt"] = "08:00", ["headcount"] = 10,
            }));
        });
        yield return new RouteRow("GET /api/routes/liaoshen", Only(200, Readers), Fixed("/api/routes/liaoshen"));
        yield return new RouteRow("GET /api/routes/", Only(200, Readers), Fixed("/api/routes"));
        yield return new RouteRow("GET /api/routes/{routeId}", Only(200, Readers), _ => Get($"/api/routes/{w.RouteId}"));
        yield return new RouteRow("POST /api/routes/", Only(201, Who.Planner, Who.Admin), _ => Task.FromResult(new Probe(HttpMethod.Post, "/api/routes",
            new JsonObject { ["name"] = "矩阵路线", ["venueIds"] = new JsonArray(Venue, OtherVenue), ["sharedWithUnits"] = true })));
        yield return new RouteRow("POST /api/routes/bookings", Only(201, Who.Unit, Who.OtherUnit, Who.Admin), who =>
        {
            var day = w.NextDay();
            var body = new JsonObject
            {
                ["plan"] = new JsonObject { ["date"] = day.DateText, ["stops"] = new JsonArray(new JsonObject { ["venueId"] = day.VenueId, ["slot"] = day.FirstSlot }) },
                ["headcount"] = 10, ["contactName"] = "王老师", ["contactPhone"] = "13800000000",
            };
            if (who == Who.Admin)
            {
                body["unitId"] = "unit1";
            }
            return Task.FromResult(new Probe(HttpMethod.Post, "/api/routes/bookings", body));
        });

        yield return new RouteRow("GET /api/admin/accounts/", Only(200, Who.Admin), Fixed("/api/admin/accounts?role=staff"));
        yield return new RouteRow("GET /api/admin/accounts/{username}", Only(200, Who.Admin), Fixed("/api/admin/accounts/unit1"));
        yield return new RouteRow("POST /api/admin/accounts/", Only(201, Who.Admin), _ => Task.FromResult(new Probe(HttpMethod.Post, "/api/admin/accounts",
            SecurityServer.AccountBody($"matrix-{Guid.NewGuid():N}"[..19], "planner"))));
        yield return new RouteRow("PATCH /api/admin/accounts/{username}", Only(200, Who.Admin), _ => Task.FromResult(new Probe(HttpMethod.Patch, "/api/admin/accounts/unit3",
            new JsonObject { ["displayName"] = $"锦州市第一中学 {Guid.NewGuid():N}"[..20] })));
        yield return new RouteRow("GET /api/admin/audit", Only(200, Who.Admin), Fixed("/api/admin/audit?action=account"));

        yield return new RouteRow("GET /problems/{name}", Public(200), Fixed("/problems/slot-full"));
        yield return new RouteRow("* /health/live", Public(200), Fixed("/health/live"));
        yield return new RouteRow("* /health/ready", Public(200), Fixed("/health/ready"));
        yield return new RouteRow("GET /openapi/{documentName}.json", Public(200), Fixed("/openapi/v1.json"));
        yield return new RouteRow("GET /docs/{documentName?}", Public(200), Fixed("/docs"));
        foreach (var asset in new[] { "favicon.svg", "scalar.aspnetcore.js", "scalar.js" })
        {
            yield return new RouteRow($"GET /docs/{asset}", Public(200), Fixed($"/docs/{asset}"));
        }
    }
}

/// <summary>A request as a cell sends it: JSON, a raw body of any content type, or a multipart photo.</summary>
public sealed record Probe(HttpMethod Method, string Path, JsonNode? Body = null, byte[]? ImageBytes = null, string? RawBody = null, string ContentType = "application/json")
{
    public static Probe Image(string path) => new(HttpMethod.Post, path, null, new byte[4096]);

    public HttpRequestMessage ToRequest()
    {
        // Large bodies ask first, as curl does: a server refusing the size answers 413 before the body is sent.
        var request = new HttpRequestMessage(Method, Path) { Headers = { ExpectContinue = (ImageBytes?.Length ?? RawBody?.Length ?? 0) > 1 << 20 } };
        if (ImageBytes is not null)
        {
            var image = new ByteArrayContent(ImageBytes);
            image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            request.Content = new MultipartFormDataContent { { image, "image", "photo.png" } };
        }
        else if (RawBody is not null)
        {
            request.Content = new StringContent(RawBody, System.Text.Encoding.UTF8, ContentType);
        }
        else if (Body is not null)
        {
            request.Content = JsonContent.Create(Body);
        }
        return request;
    }
}

/// <summary>The callers of the access matrix and the bad-input corpus, and the state they work on.</summary>
public sealed class SecurityWorld(SecurityServer server, Dictionary<Who, HttpClient> clients, VenueDay booked, string bookingId, string routeId) : IDisposable
{
    private readonly List<VenueDay> _days = [booked];

    public const string Venue = "liaoshen-memorial";
    public const string OtherVenue = "leifeng-memorial";

    public VenueDay Booked => booked;

    /// <summary>A saved study route shared with units.</summary>
    public string RouteId => routeId;

    public HttpClient Admin => clients[Who.Admin];

    public string Today => DateOnly.FromDateTime(DateTime.UtcNow.AddHours(8)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    public static async Task<SecurityWorld> CreateAsync(SecurityServer server)
    {
        var clients = new Dictionary<Who, HttpClient>
        {
            [Who.Anonymous] = server.Anonymous(),
            [Who.Unit] = await server.ClientForAsync("unit1"),
            [Who.OtherUnit] = await server.ClientForAsync("unit2"),
            [Who.Staff] = await server.ClientForAsync($"staff-{Venue}"),
            [Who.OtherStaff] = await server.ClientForAsync($"staff-{OtherVenue}"),
            [Who.Planner] = await server.ClientForAsync("planner"),
            [Who.Admin] = await server.ClientForAsync("admin"),
        };
        // A staff account at the venue, signed in and then disabled: were disabling to fail, it could still scan.
        var disabled = (await server.CreateAccountAsync("disabled", "staff", venueIds: [Venue])).Str("username");
        clients[Who.Disabled] = await server.FreshClientAsync(disabled, SecurityServer.StrongPassword);
        await clients[Who.Admin].SendJsonAsync(HttpMethod.Patch, $"/api/admin/accounts/{disabled}", new JsonObject { ["disabled"] = true }).OkAsync();
        var day = server.NextDay(Venue);
        var booking = await clients[Who.Unit].BookAsync(BookingBody(day, 10));
        var route = await clients[Who.Planner].SendJsonAsync(HttpMethod.Post, "/api/routes",
            new JsonObject { ["name"] = "矩阵 matrix", ["venueIds"] = new JsonArray(Venue, OtherVenue), ["sharedWithUnits"] = true }).OkAsync(HttpStatusCode.Created);
        return new SecurityWorld(server, clients, day, booking.Str("id"), route.Str("id"));
    }

    public HttpClient Client(Who who) => clients[who];

    public VenueDay NextDay(string? venueId = null)
    {
        var day = server.NextDay(venueId);
        _days.Add(day);
        return day;
    }

    /// <summary>The booking a caller acts on: a fresh one of unit1 for its owner and the administrator, whose changes would spoil it; the shared one otherwise.</summary>
    public async Task<string> BookingFor(Who who) => who is Who.Unit or Who.Admin ? (await FreshBookingAsync()).Id : bookingId;

    /// <summary>A new booking of unit1 on a day of its own.</summary>
    public async Task<(string Id, VenueDay Day)> FreshBookingAsync()
    {
        var day = NextDay();
        return ((await clients[Who.Unit].BookAsync(BookingBody(day, 10))).Str("id"), day);
    }

    public string BookingId => bookingId;

    /// <summary>Where the callers who may not move the shared booking try to move it.</summary>
    public VenueDay RescheduleTarget { get; } = server.NextDay(Venue);

    public async Task<string> TicketCodeAsync() => (await Admin.GetObjectAsync($"/api/bookings/{bookingId}/ticket")).Str("code");

    /// <summary>A key that verifies but no longer signs, made by rotating when there is none.</summary>
    public async Task<int> RetirableKeyAsync()
    {
        var keys = await Admin.GetArrayAsync("/api/admin/ticket-keys");
        if (keys.FirstOrDefault(k => !(bool)k!["signing"]!) is { } old)
        {
            return old.Int("keyId");
        }
        keys = await Admin.SendJsonAsync(HttpMethod.Post, "/api/admin/ticket-keys", null).OkArrayAsync();
        return keys.First(k => !(bool)k!["signing"]!).Int("keyId");
    }

    /// <summary>Everything a request could change, as the administrator reads it.</summary>
    public async Task<JsonObject> SnapshotAsync()
    {
        var snapshot = new JsonObject
        {
            ["venues"] = await Admin.GetArrayAsync("/api/venues"),
            ["accounts"] = await Admin.GetArrayAsync("/api/admin/accounts"),
            ["keys"] = await Admin.GetArrayAsync("/api/admin/ticket-keys"),
            ["routes"] = await Admin.GetArrayAsync("/api/routes"),
            ["audit"] = await Admin.GetObjectAsync("/api/admin/audit?limit=500"),
        };
        foreach (var unit in new[] { "unit1", "unit2", "unit3" })
        {
            snapshot[$"bookings/{unit}"] = await Admin.GetArrayAsync($"/api/bookings?unitId={unit}");
        }
        foreach (var day in _days.Distinct())
        {
            snapshot[$"availability/{day}"] = await Admin.AvailabilityAsync(day);
            snapshot[$"occupancy/{day}"] = await Admin.GetObjectAsync($"/api/venues/{day.VenueId}/occupancy?date={day.DateText}");
        }
        snapshot["checkins/today"] = await Admin.GetArrayAsync($"/api/venues/{Venue}/checkins?date={Today}");
        return snapshot;
    }

    public void Dispose()
    {
        foreach (var client in clients.Values)
        {
            client.Dispose();
        }
    }
}

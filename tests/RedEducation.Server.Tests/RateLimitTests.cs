using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using RedEducation.Server.Tests.Infrastructure;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

public sealed class RateLimitTests
{
    [Fact]
    public async Task PostToken_ManyAttemptsFromOneAddress_Returns429TooManyRequests()
    {
        // A server of its own: the limit is per client address, and every test client comes from 127.0.0.1.
        await using var server = new RedEducationServer();
        await server.InitializeAsync();
        using var client = server.Anonymous();
        var statuses = new List<HttpStatusCode>();

        for (var attempt = 0; attempt < 40 && !statuses.Contains(HttpStatusCode.TooManyRequests); attempt++)
        {
            using var response = await client.PostAsJsonAsync("/api/auth/token", new { username = "unit1", password = $"guess-{attempt}" }, Ct);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                await response.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
            }
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.True(statuses.Count > 10, $"limited after only {statuses.Count} attempts");
        Assert.All(statuses[..^1], s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        // Even the right password is turned away while the limit holds.
        using var right = await client.PostAsJsonAsync("/api/auth/token", new { username = "unit1", password = "demo" }, Ct);
        Assert.Equal(HttpStatusCode.TooManyRequests, right.StatusCode);
    }
}

/// <summary>Per-account limits on booking changes and route planning, X-Forwarded-For only from trusted proxies, body size limits.</summary>
public sealed class RequestLimitTests
{
    [Fact]
    public async Task BookingChanges_OverTheAccountsLimit_Return429WithRetryAfterAndOtherAccountsGoOn()
    {
        await using var server = new RedEducationServer(new Dictionary<string, string> { ["RedEducation:Limits:BookingChangesPerMinute"] = "6" });
        await server.InitializeAsync();
        using var unit1 = await server.ClientForAsync("unit1");
        using var unit2 = await server.ClientForAsync("unit2");
        var day = new VenueDays().Next(null);
        var booking = await unit1.BookAsync(BookingBody(day, headcount: 10));

        // Create, resize, cancel and reschedule all draw on one allowance; refused requests count too.
        await BookingLifecycleTests.Resize(unit1, booking, 11).OkAsync();
        await BookingLifecycleTests.Resize(unit1, booking, 0).ValidationProblemAsync("headcount");
        await unit1.SendJsonAsync(HttpMethod.Post, $"/api/bookings/{booking.Str("id")}/reschedule", new JsonObject()).ValidationProblemAsync("date");
        await unit1.PostBookingAsync(new JsonObject()).ValidationProblemAsync("venueId");
        await unit1.PostBookingAsync(new JsonObject()).ValidationProblemAsync("venueId");
        using var limited = await BookingLifecycleTests.Cancel(unit1, booking);

        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        Assert.True(int.TryParse(limited.Headers.RetryAfter?.ToString(), out var seconds) && seconds is >= 1 and <= 60, $"Retry-After: {limited.Headers.RetryAfter}");
        // The refused cancel changed nothing; reading is not limited; another unit is not held back by unit1.
        Assert.Equal("confirmed", (await unit1.GetBookingAsync(booking.Str("id"))).Str("status"));
        await unit2.PostBookingAsync(BookingBody(new VenueDays().Next(day.VenueId), headcount: 10)).OkAsync(HttpStatusCode.Created);
    }

    [Fact]
    public async Task RoutePlanning_OverTheAccountsLimit_Returns429()
    {
        await using var server = new RedEducationServer(new Dictionary<string, string> { ["RedEducation:Limits:RoutePlansPerMinute"] = "3" });
        await server.InitializeAsync();
        using var planner = await server.ClientForAsync("planner");
        using var unit = await server.ClientForAsync("unit1");
        const string Shortest = "/api/routes/shortest?from=liaoshen-memorial&to=leifeng-memorial";

        for (var i = 0; i < 3; i++)
        {
            await planner.GetAsync(Shortest, Ct).OkAsync();
        }

        using var limited = await planner.GetAsync(Shortest, Ct);
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        Assert.NotNull(limited.Headers.RetryAfter);
        await planner.SendJsonAsync(HttpMethod.Post, "/api/routes/plan", new JsonObject()).ProblemAsync(HttpStatusCode.TooManyRequests, "too-many-requests");
        await unit.GetAsync(Shortest, Ct).OkAsync();
    }

    [Fact]
    public async Task SignIn_XForwardedForWithoutATrustedProxy_IsIgnored()
    {
        await using var server = new RedEducationServer(new Dictionary<string, string> { ["RedEducation:Limits:SignInPerMinute"] = "3" });
        await server.InitializeAsync();

        var statuses = await SignInsAsync(server, ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4", "203.0.113.5"]);

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task SignIn_XForwardedForFromATrustedProxy_LimitsEachClientApart()
    {
        await using var server = new RedEducationServer(new Dictionary<string, string>
        {
            ["RedEducation:Limits:SignInPerMinute"] = "2",
            ["RedEducation:Limits:TrustedNetworks:0"] = "127.0.0.0/8",
            ["RedEducation:Limits:TrustedProxies:0"] = "::1",
        });
        await server.InitializeAsync();

        var statuses = await SignInsAsync(server, ["203.0.113.1", "203.0.113.1", "203.0.113.1", "198.51.100.7", "198.51.100.7", "198.51.100.7"]);

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests],
            statuses);
    }

    private static async Task<List<HttpStatusCode>> SignInsAsync(RedEducationServer server, string[] forwardedFor)
    {
        using var client = server.Anonymous();
        var statuses = new List<HttpStatusCode>();
        foreach (var address in forwardedFor)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/token") { Content = JsonContent.Create(new { username = "unit1", password = "wrong" }) };
            request.Headers.Add("X-Forwarded-For", address);
            using var response = await client.SendAsync(request, Ct);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }
}

/// <summary>Each route's body limit: JSON small, batches larger, photos largest; too large is a 413 problem, never a reset or a 5xx.</summary>
public sealed class BodyLimitTests(SharedServer server)
{
    [Theory]
    [InlineData("PATCH", "/api/venues/liaoshen-memorial", "admin")]
    [InlineData("POST", "/api/admin/accounts", "admin")]
    [InlineData("POST", "/api/venues/liaoshen-memorial/checkins", "staff-liaoshen-memorial")]
    [InlineData("POST", "/api/routes/plan", "planner")]
    [InlineData("POST", "/api/auth/token", null)]
    public async Task JsonRoute_BodyOver64KiB_Returns413(string method, string path, string? user)
    {
        using var client = user is null ? server.Anonymous() : await server.ClientForAsync(user);
        var body = new JsonObject { ["displayName"] = new string('x', 70 << 10) }.ToJsonString();

        await client.SendRawAsync(new HttpMethod(method), path, body).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    [Fact]
    public async Task SyncRoute_BatchOf500KiB_IsReadNot413()
    {
        using var staff = await server.ClientForAsync("staff-liaoshen-memorial");
        var items = new JsonArray([.. Enumerable.Range(0, 1000).Select(i => (JsonNode?)new JsonObject { ["code"] = new string('A', 400), ["admit"] = 0, ["nonce"] = $"n{i}" })]);
        Assert.True(items.ToJsonString().Length > 400 << 10);

        await staff.SendJsonAsync(HttpMethod.Post, "/api/venues/liaoshen-memorial/checkins/sync", items).ProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
    }

    [Fact]
    public async Task ImageRoute_TwoMegabytePhoto_IsReadAndTooLargeOneIs413()
    {
        using var staff = await server.ClientForAsync("staff-liaoshen-memorial");

        await PostImageAsync(staff, 2 << 20).ProblemAsync((HttpStatusCode)422, "no-qr-code");
        await PostImageAsync(staff, 11 << 20).ProblemAsync(HttpStatusCode.RequestEntityTooLarge, "payload-too-large");
    }

    private static async Task<HttpResponseMessage> PostImageAsync(HttpClient client, int bytes)
    {
        using var form = new MultipartFormDataContent();
        var image = new ByteArrayContent(new byte[bytes]);
        image.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("image/png");
        form.Add(image, "image", "photo.png");
        // As curl does for large uploads: a server refusing the size answers 413 before the body is sent.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/venues/liaoshen-memorial/checkins/image") { Content = form, Headers = { ExpectContinue = true } };
        return await client.SendAsync(request, Ct);
    }
}

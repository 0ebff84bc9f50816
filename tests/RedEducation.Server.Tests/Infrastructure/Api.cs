using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace RedEducation.Server.Tests.Infrastructure;

/// <summary>Requests and checks of the HTTP contract, written as a client sees it: JSON in, JSON out.</summary>
internal static class Api
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A booking body as api.md shows it.</summary>
    public static JsonObject BookingBody(VenueDay day, int headcount = 10, string? slot = null, bool waitlist = false, string? unitId = null)
    {
        var body = new JsonObject
        {
            ["venueId"] = day.VenueId,
            ["date"] = day.DateText,
            ["slot"] = slot ?? day.FirstSlot,
            ["headcount"] = headcount,
            ["contactName"] = "王老师",
            ["contactPhone"] = "+86 024 8888 6666",
            ["waitlist"] = waitlist,
        };
        if (unitId is not null)
        {
            body["unitId"] = unitId;
        }
        return body;
    }

    public static string NewKey() => Guid.NewGuid().ToString("N");

    /// <summary>POST /api/bookings with a fresh Idempotency-Key.</summary>
    public static Task<HttpResponseMessage> PostBookingAsync(this HttpClient client, JsonNode body) => client.PostBookingAsync(body, NewKey());

    /// <summary>POST /api/bookings with the given Idempotency-Key, or none when it is null.</summary>
    public static async Task<HttpResponseMessage> PostBookingAsync(this HttpClient client, JsonNode body, string? idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings") { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.TryAddWithoutValidation("Idempotency-Key", idempotencyKey);
        }
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Books and insists on 201 with the given status; returns the booking.</summary>
    public static async Task<JsonObject> BookAsync(this HttpClient client, JsonObject body, string status = "confirmed")
    {
        using var response = await client.PostBookingAsync(body);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var booking = await response.ObjectAsync();
        Assert.Equal(status, (string?)booking["status"]);
        return booking;
    }

    /// <summary>Sends <paramref name="body"/> as JSON, or no body when it is null.</summary>
    public static async Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string path, JsonNode? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        return await client.SendAsync(request, Ct);
    }

    /// <summary>Sends <paramref name="body"/> exactly as given, for bodies no serializer would write.</summary>
    public static async Task<HttpResponseMessage> SendRawAsync(this HttpClient client, HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
        return await client.SendAsync(request, Ct);
    }

    public static async Task<JsonObject> ObjectAsync(this HttpResponseMessage response) =>
        Assert.IsType<JsonObject>(await response.Content.ReadFromJsonAsync<JsonNode>(Ct));

    public static async Task<JsonArray> ArrayAsync(this HttpResponseMessage response) =>
        Assert.IsType<JsonArray>(await response.Content.ReadFromJsonAsync<JsonNode>(Ct));

    /// <summary>GETs <paramref name="path"/>, insisting on 200, and returns the JSON object.</summary>
    public static async Task<JsonObject> GetObjectAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ObjectAsync();
    }

    /// <summary>GETs <paramref name="path"/>, insisting on 200, and returns the JSON array.</summary>
    public static async Task<JsonArray> GetArrayAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ArrayAsync();
    }

    public static async Task<JsonObject> GetBookingAsync(this HttpClient client, string id) => await client.GetObjectAsync($"/api/bookings/{id}");

    public static Task<JsonObject> AvailabilityAsync(this HttpClient client, VenueDay day) =>
        client.GetObjectAsync($"/api/venues/{day.VenueId}/availability?date={day.DateText}");

    /// <summary>The availability entry of one slot (HH:mm) of a day.</summary>
    public static async Task<JsonObject> SlotAsync(this HttpClient client, VenueDay day, string? slot = null)
    {
        var availability = await client.AvailabilityAsync(day);
        var start = slot ?? day.FirstSlot;
        return Assert.IsType<JsonObject>(Assert.Single(availability["slots"]!.AsArray(), s => (string?)s!["start"] == start));
    }

    /// <summary>Asserts a problem response of <paramref name="status"/> whose type ends with "/<paramref name="suffix"/>".</summary>
    public static async Task<JsonObject> AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string suffix)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status} {suffix}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = Assert.IsType<JsonObject>(JsonNode.Parse(text));
        var type = (string?)problem["type"];
        Assert.True(type is not null && type.EndsWith("/" + suffix, StringComparison.Ordinal), $"expected type .../{suffix}, got {type}: {text}");
        Assert.Equal((int)status, (int?)problem["status"]);
        return problem;
    }

    /// <summary>Sends and asserts the problem in one step, disposing the response.</summary>
    public static async Task<JsonObject> ProblemAsync(this Task<HttpResponseMessage> send, HttpStatusCode status, string suffix)
    {
        using var response = await send;
        return await response.AssertProblemAsync(status, suffix);
    }

    /// <summary>Asserts a validation problem that names <paramref name="field"/> in its errors.</summary>
    public static async Task ValidationProblemAsync(this Task<HttpResponseMessage> send, string field)
    {
        var problem = await send.ProblemAsync(HttpStatusCode.BadRequest, "validation-failed");
        var errors = Assert.IsType<JsonObject>(problem["errors"]);
        Assert.True(errors.ContainsKey(field), $"expected an error for '{field}', got {errors.ToJsonString()}");
    }

    /// <summary>Sends and asserts the status, returning the JSON object of a successful answer.</summary>
    public static async Task<JsonObject> OkAsync(this Task<HttpResponseMessage> send, HttpStatusCode status = HttpStatusCode.OK) =>
        Assert.IsType<JsonObject>(await send.OkNodeAsync(status));

    /// <summary>Sends and asserts the status, returning the JSON array of a successful answer.</summary>
    public static async Task<JsonArray> OkArrayAsync(this Task<HttpResponseMessage> send, HttpStatusCode status = HttpStatusCode.OK) =>
        Assert.IsType<JsonArray>(await send.OkNodeAsync(status));

    private static async Task<JsonNode?> OkNodeAsync(this Task<HttpResponseMessage> send, HttpStatusCode status)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text);
    }

    public static int Int(this JsonNode? node, string name) => (int?)node?[name] ?? throw new Xunit.Sdk.XunitException($"no number '{name}' in {node?.ToJsonString()}");

    public static string Str(this JsonNode? node, string name) => (string?)node?[name] ?? throw new Xunit.Sdk.XunitException($"no text '{name}' in {node?.ToJsonString()}");
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RedEducation.Testing;

public sealed record TokenReply(string AccessToken, string Role, string? UnitId);

public sealed record SlotTimes(string Start, string End);

public sealed record VenueReply(string Id, IReadOnlyList<SlotTimes> Slots, int SlotCapacity, int DailyCap);

public sealed record BookingReply(string Id, string Status, string VenueId, string Date, string Slot, int Headcount, string UnitId, TicketReply? Ticket);

public sealed record TicketReply(string Code);

public sealed record SlotReply(string Start, string End, int Capacity, int Booked, int Remaining, int Waitlisted);

public sealed record AvailabilityReply(string VenueId, string Date, bool Open, IReadOnlyList<SlotReply> Slots);

/// <summary>The booking request a test sends: one unit, one idempotency key, one body, every time it is (re)sent.</summary>
public sealed record PlannedBooking(int Index, string Unit, string Key, string VenueId, string Date, string Slot, int Headcount)
{
    public object Body => new { VenueId, Date, Slot, Headcount, ContactName = "王老师", ContactPhone = "024-8888 0000", Waitlist = false };
}

/// <summary>What came back for one sent request.</summary>
public sealed record Reply(HttpStatusCode Status, BookingReply? Booking, string? ProblemType, string Text);

/// <summary>The public HTTP API of api.md, as an outside client uses it (tests that run the server as a separate process).</summary>
public sealed class PublicApi(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Uri BaseAddress { get; set; } = new("http://127.0.0.1/");

    public async Task<string> SignInAsync(string username, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync(new Uri(BaseAddress, "/api/auth/token"), new { username, password = "demo" }, Json, cancellationToken);
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenReply>(Json, cancellationToken);
        return token!.AccessToken;
    }

    public async Task<VenueReply> PatchVenueAsync(string adminToken, string venueId, object patch, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Patch, $"/api/venues/{venueId}", adminToken, patch);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Expect(response.IsSuccessStatusCode, $"PATCH venue: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<VenueReply>(text, Json)!;
    }

    /// <summary>
    /// Opens a venue to a load: every weekday, from today to 60 days ahead, groups of 1 to 10, slots of
    /// <paramref name="slotCapacity"/> and no daily or per-unit cap, so that only the slots' capacity refuses bookings.
    /// </summary>
    public Task<VenueReply> OpenForLoadAsync(string adminToken, string venueId, int slotCapacity, CancellationToken cancellationToken) =>
        PatchVenueAsync(adminToken, venueId, new
        {
            slotCapacity,
            dailyCap = 100_000,
            groupMin = 1,
            groupMax = 10,
            leadMinDays = 0,
            leadMaxDays = 60,
            unitCapPerDay = 100_000,
            closedWeekdays = Array.Empty<string>(),
        }, cancellationToken);

    /// <summary>POST /api/bookings with the planned key and body. Connection failures surface as HttpRequestException.</summary>
    public async Task<Reply> BookAsync(string token, PlannedBooking booking, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Post, "/api/bookings", token, booking.Body);
        request.Headers.Add("Idempotency-Key", booking.Key);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? new Reply(response.StatusCode, JsonSerializer.Deserialize<BookingReply>(text, Json), null, text)
            : new Reply(response.StatusCode, null, ProblemType(text), text);
    }

    public async Task<Reply> GetBookingAsync(string token, string id, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"/api/bookings/{id}", token, null);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return response.IsSuccessStatusCode
            ? new Reply(response.StatusCode, JsonSerializer.Deserialize<BookingReply>(text, Json), null, text)
            : new Reply(response.StatusCode, null, ProblemType(text), text);
    }

    public async Task<IReadOnlyList<BookingReply>> ListBookingsAsync(string token, string unitId, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, $"/api/bookings?unitId={Uri.EscapeDataString(unitId)}", token, null);
        using var response = await http.SendAsync(request, cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Expect(response.IsSuccessStatusCode, $"GET bookings of {unitId}: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<List<BookingReply>>(text, Json)!;
    }

    public async Task<AvailabilityReply> AvailabilityAsync(string venueId, string date, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(new Uri(BaseAddress, $"/api/venues/{venueId}/availability?date={date}"), cancellationToken);
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        Expect(response.IsSuccessStatusCode, $"GET availability: {(int)response.StatusCode} {text}");
        return JsonSerializer.Deserialize<AvailabilityReply>(text, Json)!;
    }

    /// <summary>Any request with <paramref name="token"/> as bearer; the caller reads and disposes the response.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, CancellationToken cancellationToken)
    {
        using var request = Request(method, path, token, null);
        return await http.SendAsync(request, cancellationToken);
    }

    private HttpRequestMessage Request(HttpMethod method, string path, string token, object? body)
    {
        var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }
        return request;
    }

    /// <summary>For calls a test needs to succeed to go on; the failure carries the server's answer.</summary>
    private static void Expect(bool success, string failure)
    {
        if (!success)
        {
            throw new InvalidOperationException(failure);
        }
    }

    private static string? ProblemType(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

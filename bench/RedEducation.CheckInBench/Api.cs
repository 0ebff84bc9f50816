using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace RedEducation.CheckInBench;

/// <summary>A venue's bookings for the run: their ticket codes, all for the same headcount.</summary>
internal sealed record BookedVenue(string VenueId, IReadOnlyList<string> Codes, int Headcount)
{
    public long Capacity => (long)Codes.Count * Headcount;
}

/// <summary>
/// The server's public API as the benchmark uses it: one shared connection pool, one client per signed-in user (the
/// server limits sign-in to 30 a minute per address, so every user signs in once).
/// </summary>
internal sealed class Api(Uri baseAddress) : IDisposable
{
    private readonly SocketsHttpHandler _handler = new()
    {
        // Open-loop load keeps as many requests in flight as the server lets queue up: never wait for a connection.
        MaxConnectionsPerServer = 1024,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(5),
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    };
    private readonly Dictionary<string, HttpClient> _users = [];

    public HttpClient Anonymous => Client(null);

    public async Task<HttpClient> SignInAsync(string user, CancellationToken cancellationToken)
    {
        if (_users.TryGetValue(user, out var existing))
        {
            return existing;
        }
        using var response = await Anonymous.PostAsJsonAsync("api/auth/token", new { username = user, password = "demo" }, cancellationToken);
        await EnsureAsync(response, $"sign-in of {user}", cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        var client = Client(json.RootElement.GetProperty("accessToken").GetString());
        _users[user] = client;
        return client;
    }

    /// <summary>Opens a venue for same-day group visits all day, with room for the whole run.</summary>
    public static async Task OpenUpAsync(HttpClient admin, string venueId, VisitPlan plan, int groupMax, CancellationToken cancellationToken)
    {
        var patch = new
        {
            hours = new { open = "00:00", lastEntry = plan.LastEntry.ToString("HH:mm", CultureInfo.InvariantCulture), close = "23:59" },
            closedWeekdays = Array.Empty<string>(),
            exceptions = Array.Empty<object>(),
            slotMinutes = plan.SlotMinutes,
            slotCapacity = 100_000,
            dailyCap = 1_000_000,
            groupMin = 1,
            groupMax,
            leadMinDays = 0,
            unitCapPerDay = 1_000_000,
        };
        using var response = await admin.PatchAsJsonAsync($"api/venues/{venueId}", patch, cancellationToken);
        await EnsureAsync(response, $"PATCH of venue {venueId}", cancellationToken);
    }

    /// <summary>Makes <paramref name="count"/> bookings with <paramref name="parallel"/> requests at a time, spread over the units.</summary>
    public static async Task<BookedVenue> BookAsync(
        IReadOnlyList<HttpClient> units, string venueId, VisitPlan plan, int count, int headcount, int parallel, CancellationToken cancellationToken)
    {
        var codes = new string[count];
        var next = -1;
        var run = Guid.NewGuid().ToString("N")[..8];
        async Task WorkerAsync()
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, "api/bookings")
                {
                    Content = JsonContent.Create(new
                    {
                        venueId,
                        date = plan.DateText,
                        slot = plan.SlotText,
                        headcount,
                        contactName = "王老师",
                        contactPhone = "13912345678",
                    }),
                };
                request.Headers.Add("Idempotency-Key", $"checkin-bench-{run}-{venueId}-{i}");
                using var response = await units[i % units.Count].SendAsync(request, cancellationToken);
                await EnsureAsync(response, $"booking {i} at {venueId}", cancellationToken);
                using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
                codes[i] = json.RootElement.TryGetProperty("ticket", out var ticket) && ticket.ValueKind == JsonValueKind.Object
                    ? ticket.GetProperty("code").GetString()!
                    : throw new InvalidOperationException($"booking {i} at {venueId} is not confirmed: {json.RootElement}");
            }
        }
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(_ => WorkerAsync()));
        return new BookedVenue(venueId, codes, headcount);
    }

    /// <summary>The ticket verification keys from a venue's desk manifest: what an offline scanner gets.</summary>
    public static async Task<IReadOnlyDictionary<ushort, byte[]>> PublicKeysAsync(HttpClient staff, string venueId, VisitPlan plan, CancellationToken cancellationToken)
    {
        using var response = await staff.GetAsync(new Uri($"api/venues/{venueId}/manifest?date={plan.DateText}", UriKind.Relative), cancellationToken);
        await EnsureAsync(response, $"manifest of {venueId}", cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return json.RootElement.GetProperty("keys").EnumerateArray().ToDictionary(
            k => checked((ushort)k.GetProperty("keyId").GetInt32()),
            k => Convert.FromBase64String(k.GetProperty("publicKey").GetString()!));
    }

    public void Dispose()
    {
        foreach (var client in _users.Values)
        {
            client.Dispose();
        }
        _handler.Dispose();
    }

    private HttpClient Client(string? token)
    {
        if (token is null && _users.TryGetValue("", out var anonymous))
        {
            return anonymous;
        }
        var client = new HttpClient(_handler, disposeHandler: false) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (token is null)
        {
            _users[""] = client;
        }
        else
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new InvalidOperationException($"{what} failed: HTTP {(int)response.StatusCode} {body}");
        }
    }
}

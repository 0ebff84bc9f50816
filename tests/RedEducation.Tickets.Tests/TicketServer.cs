using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using RedEducation.Contracts;
using RedEducation.Testing;

[assembly: AssemblyFixture(typeof(RedEducation.Tickets.Tests.TicketServer))]
// The tests share the server's business clock, so they take turns.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace RedEducation.Tickets.Tests;

/// <summary>
/// The real server pipeline with a settable business clock: tests book days ahead, then move the clock to the visit.
/// Liaoshen memorial (closed Mondays) is opened up for large groups so that tests do not run into its caps.
/// </summary>
public sealed class TicketServer : IAsyncLifetime
{
    public const string Venue = "liaoshen-memorial";
    public const string OtherVenue = "leifeng-memorial";
    private readonly TempDirectory _data = new();
    private WebApplicationFactory<Program>? _factory;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Task<HttpClient>> _clients = new();
    private int _keys;

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>A visit date on which both test venues are open, far enough ahead to book from <see cref="BookingDay"/>.</summary>
    public DateOnly VisitDay { get; private set; }

    public DateOnly BookingDay => VisitDay.AddDays(-5);

    public HttpClient Anonymous => _factory!.CreateClient();

    public string DataDirectory => _data.Path;

    public async ValueTask InitializeAsync()
    {
        var venue = TestVenues.Seed(Venue);
        var other = TestVenues.Seed(OtherVenue);
        VisitDay = TestDates.Today.AddDays(10);
        while (!venue.IsOpenOn(VisitDay) || !other.IsOpenOn(VisitDay))
        {
            VisitDay = VisitDay.AddDays(1);
        }
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
        {
            web.UseSetting("RedEducation:DataDirectory", _data.Path);
            web.UseSetting("RedEducation:SiloPort", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("RedEducation:GatewayPort", Ports.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
            web.UseSetting("RedEducation:Limits:BookingChangesPerMinute", "1000000");
            // The in-memory TestServer has no request body size feature, and routing warns of it on every capped request.
            web.UseSetting("Logging:LogLevel:Microsoft.AspNetCore.Routing.EndpointRoutingMiddleware", "Error");
            web.ConfigureTestServices(s => s.AddKeyedSingleton<TimeProvider>(BusinessClock.Key, Clock));
        });
        var client = _factory.CreateClient();
        for (var i = 0; i < 100 && !(await client.GetAsync(new Uri("/health/ready", UriKind.Relative))).IsSuccessStatusCode; i++)
        {
            await Task.Delay(100);
        }
        var admin = await SignInAsync("admin");
        foreach (var id in new[] { Venue, OtherVenue })
        {
            var response = await admin.PatchAsJsonAsync($"/api/venues/{id}",
                new { slotCapacity = 5000, dailyCap = 100_000, groupMax = 500, unitCapPerDay = 100_000 });
            response.EnsureSuccessStatusCode();
        }
    }

    /// <summary>A client signed in as <paramref name="user"/>; one sign-in per user, as the server limits sign-in attempts.</summary>
    public Task<HttpClient> SignInAsync(string user) => _clients.GetOrAdd(user, NewSignInAsync);

    private async Task<HttpClient> NewSignInAsync(string user)
    {
        var client = _factory!.CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/token", new { username = user, password = "demo" });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!.GetValue<string>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Books a group at <paramref name="venue"/> for the visit day with the clock on the booking day; returns the booking JSON.</summary>
    public async Task<JsonObject> BookAsync(int headcount, string slot = "10:00", string venue = Venue, string unit = "unit1")
    {
        Clock.SetLocal(BookingDay, new TimeOnly(10, 0));
        var client = await SignInAsync(unit);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/bookings")
        {
            Content = JsonContent.Create(new
            {
                venueId = venue, date = VisitDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                slot, headcount, contactName = "王老师", contactPhone = "13912345678",
            }),
        };
        request.Headers.Add("Idempotency-Key", $"ticket-test-{Interlocked.Increment(ref _keys)}-{Guid.NewGuid():N}");
        var response = await client.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!;
    }

    /// <summary>Moves the business clock to <paramref name="time"/> on the visit day.</summary>
    public void AtVisit(int hour = 10, int minute = 5) => Clock.SetLocal(VisitDay, new TimeOnly(hour, minute));

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<JsonObject>(await response.Content.ReadAsStringAsync())!;

    public async ValueTask DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }
        _data.Dispose();
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using RedEducation.Server.Testing;
using RedEducation.Testing;

[assembly: AssemblyFixture(typeof(RedEducation.Tickets.Tests.TicketServer))]
// The tests share the server's business clock, so they take turns.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace RedEducation.Tickets.Tests;

/// <summary>
/// The real server (<see cref="RedEducationServer"/>) with a settable business clock: tests book days ahead, then move
/// the clock to the visit. Both test venues are opened up for large groups so that tests do not run into their caps.
/// </summary>
public sealed class TicketServer : IAsyncLifetime
{
    public const string Venue = "liaoshen-memorial";
    public const string OtherVenue = "leifeng-memorial";
    private int _keys;

    public TicketServer() => Server = new RedEducationServer { Clock = Clock };

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>The real server: Kestrel on a loopback port, the co-hosted silo, SQLite, this fixture's clock.</summary>
    public RedEducationServer Server { get; }

    /// <summary>A visit date on which both test venues are open, far enough ahead to book from <see cref="BookingDay"/>.</summary>
    public DateOnly VisitDay { get; } = TestVenueSetup.FirstDayAllOpen(TestDates.Today.AddDays(10), Venue, OtherVenue);

    public DateOnly BookingDay => VisitDay.AddDays(-5);

    public HttpClient Anonymous => Server.Anonymous();

    public string DataDirectory => Server.DataDirectory;

    public async ValueTask InitializeAsync()
    {
        await Server.InitializeAsync();
        await Server.OpenForLargeGroupsAsync(Venue, OtherVenue);
    }

    /// <summary>A client signed in as <paramref name="user"/>; one sign-in per user, as the server limits sign-in attempts.</summary>
    public Task<HttpClient> SignInAsync(string user) => Server.ClientForAsync(user);

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

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

using System.Net;
using System.Text.Json;
using RedEducation.Testing;

namespace RedEducation.Cluster.Tests;

/// <summary>One silo process (Role=Silo) and one front-end process (Role=FrontEnd) joined to it as an Orleans client.</summary>
public sealed class FrontEndFixture : IAsyncLifetime
{
    private readonly TempDirectory _root = new();
    private ServerProcess? _silo;
    private ServerProcess? _frontEnd;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromMinutes(5) };

    public PublicApi Api { get; private set; } = null!;

    public string FrontEndData => Path.Combine(_root.Path, "front-end");

    public string KeyDirectory => Path.Combine(_root.Path, "keys");

    public ServerProcess Silo => _silo ?? throw new InvalidOperationException("not started");

    public ServerProcess FrontEnd => _frontEnd ?? throw new InvalidOperationException("not started");

    public async ValueTask InitializeAsync()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        ServerProcess.RunCommand("generate-keys", KeyDirectory);
        var gatewayPort = Ports.Free();
        _silo = await ServerProcess.StartAsync(Http, cancellationToken,
            "--RedEducation:Role=Silo",
            $"--RedEducation:DataDirectory={Path.Combine(_root.Path, "silo")}",
            $"--RedEducation:SiloPort={Ports.Free()}",
            $"--RedEducation:GatewayPort={gatewayPort}");
        _frontEnd = await ServerProcess.StartAsync(Http, cancellationToken,
            "--RedEducation:Role=FrontEnd",
            $"--RedEducation:DataDirectory={FrontEndData}",
            $"--RedEducation:KeyDirectory={KeyDirectory}",
            $"--RedEducation:GatewayPort={gatewayPort}");
        Api = new PublicApi(Http) { BaseAddress = _frontEnd.BaseAddress };
    }

    public async ValueTask DisposeAsync()
    {
        if (_frontEnd is not null)
        {
            await _frontEnd.DisposeAsync();
        }
        if (_silo is not null)
        {
            await _silo.DisposeAsync();
        }
        Http.Dispose();
        _root.Dispose();
    }
}

/// <summary>RedEducation:Role: the API served by a front end that hosts no silo; a silo that serves only health.</summary>
[Collection(ClusterProcesses.Collection)]
public sealed class FrontEndTests(FrontEndFixture fixture) : IClassFixture<FrontEndFixture>
{
    [Fact]
    public async Task FrontEnd_SignInBookAndTicket_ServedOverTheOrleansClient()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var api = fixture.Api;
        var admin = await api.SignInAsync("admin", cancellationToken);
        var venue = await api.PatchVenueAsync(admin, "leifeng-memorial", new { leadMinDays = 0, closedWeekdays = Array.Empty<string>() }, cancellationToken);
        var date = TestDates.Today.AddDays(5).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var unit = await api.SignInAsync("unit1", cancellationToken);

        var booked = await api.BookAsync(unit, new PlannedBooking(0, "unit1", $"front-end-{Guid.NewGuid():N}", venue.Id, date, venue.Slots[0].Start, 12), cancellationToken);
        Assert.True(booked.Status == HttpStatusCode.Created, $"{(int)booked.Status} {booked.Text}{Environment.NewLine}{fixture.FrontEnd.OutputTail}");
        var again = await api.GetBookingAsync(unit, booked.Booking!.Id, cancellationToken);
        using var png = await api.SendAsync(HttpMethod.Get, $"/api/bookings/{booked.Booking.Id}/ticket.png", unit, cancellationToken);

        Assert.Equal("confirmed", booked.Booking.Status);
        Assert.Equal(12, again.Booking?.Headcount);
        Assert.Equal(booked.Booking.Ticket?.Code, again.Booking?.Ticket?.Code);
        Assert.Equal(154, booked.Booking.Ticket?.Code.Length);
        Assert.Equal(HttpStatusCode.OK, png.StatusCode);
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task FrontEnd_TicketKeys_AreTheOnesInTheKeyDirectory()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var admin = await fixture.Api.SignInAsync("admin", cancellationToken);

        using var response = await fixture.Api.SendAsync(HttpMethod.Get, "/api/admin/ticket-keys", admin, cancellationToken);
        using var keys = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal([1], keys.RootElement.EnumerateArray().Select(k => k.GetProperty("keyId").GetInt32()));
        Assert.False(Directory.Exists(Path.Combine(fixture.FrontEndData, "keys")), "the front end made keys of its own in its data directory");
    }

    [Fact]
    public async Task FrontEnd_RotateTicketKey_RefusedBecauseTheKeysAreShared()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var admin = await fixture.Api.SignInAsync("admin", cancellationToken);

        using var response = await fixture.Api.SendAsync(HttpMethod.Post, "/api/admin/ticket-keys", admin, cancellationToken);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("/problems/keys-shared", problem.RootElement.GetProperty("type").GetString());
        Assert.Equal(["00001.ed25519", "token-signing.key"], Directory.GetFiles(fixture.KeyDirectory).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/unit/")]
    [InlineData("/staff/")]
    public async Task FrontEnd_WebPages_Served(string path)
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.FrontEnd.BaseAddress, path), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/health/live")]
    [InlineData("/health/ready")]
    public async Task Silo_Health_Answers200(string path)
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Silo.BaseAddress, path), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("/api/venues")]
    [InlineData("/api/auth/token")]
    [InlineData("/docs")]
    [InlineData("/unit/")]
    public async Task Silo_ApiAndPages_AreNotServedThere(string path)
    {
        using var response = await fixture.Http.GetAsync(new Uri(fixture.Silo.BaseAddress, path), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }
}

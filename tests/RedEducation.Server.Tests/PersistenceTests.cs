using System.Net;
using System.Text.Json.Nodes;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Testing;
using static RedEducation.Server.Tests.BookingLifecycleTests;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

public sealed class PersistenceTests
{
    [Fact]
    public async Task Server_RestartedOnTheSameDataDirectory_KeepsBookingsCapacityVenueEditsAndTokens()
    {
        using var data = new TempDirectory();
        var venue = TestVenues.Seed("leifeng-memorial");
        var day = new VenueDay(venue.Id, TestDates.NextOpen(venue, 7));
        var key = NewKey();
        var body = BookingBody(day, headcount: 21);
        JsonObject kept, cancelled;
        string token;

        await using (var first = new RedEducationServer(data.Path))
        {
            await first.InitializeAsync();
            using var admin = await first.ClientForAsync("admin");
            using var unit = await first.ClientForAsync("unit1");
            token = unit.DefaultRequestHeaders.Authorization!.Parameter!;
            await admin.SendJsonAsync(HttpMethod.Patch, $"/api/venues/{venue.Id}", new JsonObject { ["dailyCap"] = 999 }).OkAsync();
            kept = await unit.PostBookingAsync(body, key).OkAsync(HttpStatusCode.Created);
            cancelled = await unit.BookAsync(BookingBody(day, headcount: 9, slot: day.Slot(1)));
            await Cancel(unit, cancelled).OkAsync();
        }

        await using var second = new RedEducationServer(data.Path);
        await second.InitializeAsync();
        // A token issued before the restart still opens the API: the signing key is kept in the data directory.
        using var again = second.WithToken(token);

        var booking = await again.GetBookingAsync(kept.Str("id"));
        Assert.Equal("confirmed", booking.Str("status"));
        Assert.Equal(21, booking.Int("headcount"));
        Assert.Equal(day.DateText, booking.Str("date"));
        Assert.Equal("cancelled", (await again.GetBookingAsync(cancelled.Str("id"))).Str("status"));
        Assert.Equal(venue.Limits.SlotCapacity - 21, (await again.SlotAsync(day)).Int("remaining"));
        Assert.Equal(venue.Limits.SlotCapacity, (await again.SlotAsync(day, day.Slot(1))).Int("remaining"));
        Assert.Contains(await again.GetArrayAsync("/api/bookings"), b => b.Str("id") == kept.Str("id"));
        // The administrator's edit survives the seeding that runs at every start.
        Assert.Equal(999, (await again.GetObjectAsync($"/api/venues/{venue.Id}")).Int("dailyCap"));
        // Replaying the request after the restart finds the stored booking instead of making a second one.
        var replay = await again.PostBookingAsync(body, key).OkAsync();
        Assert.Equal(kept.Str("id"), replay.Str("id"));
        Assert.Equal(venue.Limits.SlotCapacity - 21, (await again.SlotAsync(day)).Int("remaining"));
    }

    [Fact]
    public async Task Servers_SideBySide_KeepSeparateData()
    {
        await using var one = new RedEducationServer();
        await using var two = new RedEducationServer();
        await Task.WhenAll(one.InitializeAsync().AsTask(), two.InitializeAsync().AsTask());
        using var unitOne = await one.ClientForAsync("unit2");
        using var unitTwo = await two.ClientForAsync("unit2");
        var venue = TestVenues.Seed("tashan-memorial");
        var day = new VenueDay(venue.Id, TestDates.NextOpen(venue, 6));

        var booking = await unitOne.BookAsync(BookingBody(day, headcount: 30));

        Assert.NotEqual(one.BaseAddress, two.BaseAddress);
        await unitTwo.GetAsync($"/api/bookings/{booking.Str("id")}", Ct).ProblemAsync(HttpStatusCode.NotFound, "booking-not-found");
        Assert.Equal(venue.Limits.SlotCapacity, (await unitTwo.SlotAsync(day)).Int("remaining"));
        Assert.Equal(venue.Limits.SlotCapacity - 30, (await unitOne.SlotAsync(day)).Int("remaining"));
    }
}

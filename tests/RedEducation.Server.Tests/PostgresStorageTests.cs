using System.Net;
using Microsoft.Extensions.Options;
using Npgsql;
using RedEducation.Server.Tests.Infrastructure;
using RedEducation.Testing;
using static RedEducation.Server.Tests.BookingLifecycleTests;
using static RedEducation.Server.Tests.Infrastructure.Api;

namespace RedEducation.Server.Tests;

/// <summary>The server with <c>RedEducation:Storage=Postgres</c> against a throwaway PostgreSQL.</summary>
public sealed class PostgresStorageTests
{
    [Fact]
    public async Task Server_WithPostgresStorageRestartedOnTheSameDatabase_KeepsTheBooking()
    {
        using var postgres = ThrowawayPostgres.Start();
        using (var admin = new NpgsqlConnection(postgres.ConnectionString()))
        {
            await admin.OpenAsync(Ct);
            await using var create = new NpgsqlCommand("CREATE DATABASE rededucation", admin);
            await create.ExecuteNonQueryAsync(Ct);
        }
        var settings = new Dictionary<string, string>
        {
            ["RedEducation:Storage"] = "Postgres",
            ["RedEducation:PostgresConnectionString"] = postgres.ConnectionString("rededucation", pooling: true),
        };
        var venue = TestVenues.Seed("leifeng-memorial");
        var day = new VenueDay(venue.Id, TestDates.NextOpen(venue, 9));
        System.Text.Json.Nodes.JsonObject booked;

        // Two data directories: the signing keys stay with each, so nothing but the database carries the booking over.
        using (var firstData = new TempDirectory())
        {
            await using var first = new RedEducationServer(firstData.Path, settings);
            await first.InitializeAsync();
            using var unit = await first.ClientForAsync("unit1");
            booked = await unit.BookAsync(BookingBody(day, headcount: 17));
        }

        using var secondData = new TempDirectory();
        await using var second = new RedEducationServer(secondData.Path, settings);
        await second.InitializeAsync();
        using var again = await second.ClientForAsync("unit1");

        var booking = await again.GetBookingAsync(booked.Str("id"));
        Assert.Equal("confirmed", booking.Str("status"));
        Assert.Equal(17, booking.Int("headcount"));
        Assert.Equal(venue.Limits.SlotCapacity - 17, (await again.SlotAsync(day)).Int("remaining"));
        Assert.False(File.Exists(Path.Combine(secondData.Path, "rededucation.db")));
        await using var connection = new NpgsqlConnection(postgres.ConnectionString("rededucation"));
        await connection.OpenAsync(Ct);
        await using var count = new NpgsqlCommand("SELECT count(*) FROM grain_state WHERE grain_id LIKE '%' || @id || '%'", connection);
        count.Parameters.AddWithValue("id", booked.Str("id"));
        Assert.NotEqual(0L, (long)(await count.ExecuteScalarAsync(Ct))!);
    }

    [Fact]
    public async Task Server_PostgresStorageWithoutConnectionString_RefusesToStartNamingTheSetting()
    {
        using var data = new TempDirectory();
        await using var server = new RedEducationServer(data.Path, new Dictionary<string, string> { ["RedEducation:Storage"] = "Postgres" });

        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await server.InitializeAsync());

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException a ? a.InnerException : error);
        Assert.Contains("RedEducation:PostgresConnectionString is required", validation.Message, StringComparison.Ordinal);
    }
}

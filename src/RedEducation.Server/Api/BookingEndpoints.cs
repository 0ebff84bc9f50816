using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using RedEducation.Contracts;
using RedEducation.Domain.Accounts;
using RedEducation.Domain.Booking;
using RedEducation.Server.Auth;
using RedEducation.Server.Tickets;

namespace RedEducation.Server.Api;

public sealed record CreateBookingBody(
    string? VenueId, string? Date, string? Slot, int? Headcount, string? ContactName, string? ContactPhone, bool? Waitlist, string? UnitId);

public sealed record ResizeBody(int? Headcount);

public sealed record RescheduleBody(string? Date, string? Slot);

/// <summary>A confirmed booking's current ticket; absent until the booking is confirmed.</summary>
public sealed record TicketRefDto(string Code);

public sealed record BookingDto(
    string Id, BookingStatus Status, string VenueId, DateOnly Date, TimeOnly Slot, int Headcount, string UnitId,
    int? WaitlistPosition, string ContactName, string ContactPhone, DateTimeOffset CreatedAt, TicketRefDto? Ticket);

public static class BookingEndpoints
{
    private const int MaxKeyLength = 128;

    public static void MapBookings(this RouteGroupBuilder api)
    {
        var bookings = api.MapGroup("/bookings").RequireAuthorization(ApiSetup.UnitOrAdmin);
        bookings.MapPost("/", CreateAsync).RequireRateLimiting(RequestLimits.BookingChanges);
        bookings.MapGet("/", ListAsync);
        bookings.MapGet("/{id}", GetAsync);
        bookings.MapPatch("/{id}", ResizeAsync).RequireRateLimiting(RequestLimits.BookingChanges);
        bookings.MapPost("/{id}/cancel", CancelAsync).RequireRateLimiting(RequestLimits.BookingChanges);
        bookings.MapPost("/{id}/reschedule", RescheduleAsync).RequireRateLimiting(RequestLimits.BookingChanges);
    }

    private static async Task<IResult> CreateAsync(
        CreateBookingBody body, [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets)
    {
        var errors = new Dictionary<string, string[]>();
        void Check(bool ok, string field, string message)
        {
            if (!ok)
            {
                errors[field] = [message];
            }
        }
        var unitId = user.IsAdmin() ? body.UnitId : user.UnitId();
        Check(!string.IsNullOrEmpty(unitId), "unitId", "an administrator books for a unit: give its unitId");
        Check(string.IsNullOrEmpty(unitId) || IsUnitId(unitId), "unitId", "3-64 lower-case letters, digits, '.', '_' or '-'");
        Check(!string.IsNullOrEmpty(body.VenueId), "venueId", "required");
        Check(ApiJson.TryParseDate(body.Date, out var date), "date", "required, as YYYY-MM-DD");
        Check(ApiJson.TryParseTime(body.Slot, out var slot), "slot", "required, as HH:mm");
        Check(body.Headcount is > 0, "headcount", "required, a whole number above 0");
        Check(IsName(body.ContactName), "contactName", "required, 1-100 characters");
        Check(IsPhone(body.ContactPhone), "contactPhone", "required: 5-32 digits, spaces, '+', '-', '(' or ')'");
        Check(idempotencyKey is null || idempotencyKey.Length is > 0 and <= MaxKeyLength, "Idempotency-Key", $"at most {MaxKeyLength} characters");
        if (errors.Count > 0)
        {
            return Problems.Result("validation-failed", "the booking request has invalid fields", errors);
        }
        if (await VenueEndpoints.FindAsync(body.VenueId!, grains) is null)
        {
            return Problems.Result("venue-not-found");
        }

        var id = BookingIds.From(unitId!, idempotencyKey ?? Guid.NewGuid().ToString("N"));
        var result = await grains.GetGrain<IUnitGrain>(unitId!).CreateBookingAsync(id, new NewBooking(
            unitId!, body.VenueId!, date, slot, body.Headcount!.Value, body.ContactName!.Trim(), body.ContactPhone!.Trim(), body.Waitlist ?? false));
        if (result.Booking is not { } booking)
        {
            return Problems.For(result);
        }
        var dto = await DtoAsync(booking, grains, tickets);
        return result.Created ? TypedResults.Created($"/api/bookings/{booking.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<IResult> ListAsync(string? unitId, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets)
    {
        var unit = unitId ?? user.UnitId();
        if (string.IsNullOrEmpty(unit) || !IsUnitId(unit))
        {
            return Problems.Validation("unitId", "required for an administrator: 3-64 lower-case letters, digits, '.', '_' or '-'");
        }
        if (!user.MayActFor(unit))
        {
            return Problems.Result("forbidden", "a unit sees only its own bookings");
        }
        var ids = await grains.GetGrain<IUnitGrain>(unit).GetBookingIdsAsync();
        var views = await Task.WhenAll(ids.Select(id => grains.GetGrain<IBookingGrain>(id).GetAsync()));
        var dtos = await Task.WhenAll(views.Where(v => v is { Status: not BookingStatus.Pending }).Select(v => DtoAsync(v!, grains, tickets)));
        return TypedResults.Ok(dtos.OrderBy(b => b.Date).ThenBy(b => b.Slot));
    }

    private static async Task<IResult> GetAsync(string id, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets) =>
        await OwnedAsync(id, user, grains) is { } booking ? TypedResults.Ok(await DtoAsync(booking, grains, tickets)) : Problems.Result("booking-not-found");

    private static async Task<IResult> ResizeAsync(string id, ResizeBody body, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets)
    {
        if (body.Headcount is not > 0)
        {
            return Problems.Validation("headcount", "required, a whole number above 0");
        }
        return await OwnedAsync(id, user, grains) is null
            ? Problems.Result("booking-not-found")
            : await RespondAsync(await grains.GetGrain<IBookingGrain>(id).ResizeAsync(body.Headcount.Value), grains, tickets);
    }

    private static async Task<IResult> CancelAsync(string id, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets) =>
        await OwnedAsync(id, user, grains) is null
            ? Problems.Result("booking-not-found")
            : await RespondAsync(await grains.GetGrain<IBookingGrain>(id).CancelAsync(), grains, tickets);

    private static async Task<IResult> RescheduleAsync(string id, RescheduleBody body, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets)
    {
        if (!ApiJson.TryParseDate(body.Date, out var date))
        {
            return Problems.Validation("date", "required, as YYYY-MM-DD");
        }
        if (!ApiJson.TryParseTime(body.Slot, out var slot))
        {
            return Problems.Validation("slot", "required, as HH:mm");
        }
        return await OwnedAsync(id, user, grains) is null
            ? Problems.Result("booking-not-found")
            : await RespondAsync(await grains.GetGrain<IBookingGrain>(id).RescheduleAsync(date, slot), grains, tickets);
    }

    private static async Task<IResult> RespondAsync(BookingResult result, IGrainFactory grains, TicketService tickets) =>
        result.Booking is { } booking ? TypedResults.Ok(await DtoAsync(booking, grains, tickets)) : Problems.For(result);

    /// <summary>The booking as the API shows it, with its current ticket code when it is confirmed.</summary>
    public static async Task<BookingDto> DtoAsync(BookingView b, IGrainFactory grains, TicketService tickets)
    {
        var ticket = b.Status == BookingStatus.Confirmed && await VenueEndpoints.FindAsync(b.VenueId, grains) is { } venue
            ? new TicketRefDto(tickets.Issue(b, venue))
            : null;
        return new BookingDto(
            b.Id, b.Status, b.VenueId, b.Date, b.Slot, b.Headcount, b.UnitId,
            b.Status == BookingStatus.Waitlisted ? b.WaitlistPosition : null, b.ContactName, b.ContactPhone, b.CreatedAt, ticket);
    }

    /// <summary>The booking if the caller may see it; another unit's booking is reported as absent, not as forbidden.</summary>
    public static async Task<BookingView?> OwnedAsync(string id, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!BookingIds.IsWellFormed(id))
        {
            return null;
        }
        var booking = await grains.GetGrain<IBookingGrain>(id).GetAsync();
        return booking is not null && user.MayActFor(booking.UnitId) ? booking : null;
    }

    /// <summary>A unit's id has the form of a user name (unit accounts are made with one).</summary>
    internal static bool IsUnitId([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? unitId) => AccountRules.IsValidUsername(unitId);

    /// <summary>A person's or an account's display name: 1-100 characters after trimming, no control characters.</summary>
    internal static bool IsName([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? name) =>
        name is not null && name.Trim().Length is >= 1 and <= 100 && !name.Any(char.IsControl);

    internal static bool IsPhone([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? phone) =>
        phone is not null && phone.Trim().Length is >= 5 and <= 32 && phone.Trim().All(c => char.IsAsciiDigit(c) || c is ' ' or '+' or '-' or '(' or ')');
}

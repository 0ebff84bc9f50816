using Microsoft.Extensions.DependencyInjection;
using System.Security.Claims;
using RedEducation.Contracts;
using RedEducation.Domain.Venues;
using RedEducation.Server.Audit;
using RedEducation.Server.Tickets;

namespace RedEducation.Server.Api;

public sealed record TicketDto(
    string Code, string BookingId, int Serial, int KeyId, string VenueId, DateOnly Date, TimeOnly Slot, int Headcount,
    DateTimeOffset ValidFrom, DateTimeOffset ValidUntil);

public sealed record TicketKeyDto(int KeyId, string PublicKey, bool Signing);

public static class TicketEndpoints
{
    public static void MapTickets(this RouteGroupBuilder api)
    {
        var ticket = api.MapGroup("/bookings/{id}").RequireAuthorization(ApiSetup.UnitOrAdmin);
        ticket.MapGet("/ticket", async (string id, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets) =>
            await WithTicketAsync(id, user, grains, tickets, (b, v, code) =>
            {
                var claims = tickets.Claims(b, v);
                var (from, until) = claims.Window(v.Zone);
                return TypedResults.Ok(new TicketDto(code, b.Id, b.TicketSerial, tickets.KeyIdOf(code), v.Id, b.Date, b.Slot, b.Headcount, from, until));
            }));
        ticket.MapGet("/ticket.png", async (string id, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets) =>
            await WithTicketAsync(id, user, grains, tickets, (_, _, code) => TypedResults.File(QrImages.Png(code), "image/png", $"ticket-{id}.png")));
        ticket.MapGet("/ticket.svg", async (string id, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets) =>
            await WithTicketAsync(id, user, grains, tickets, (_, _, code) => TypedResults.Text(QrImages.Svg(code), "image/svg+xml")));
        ticket.MapGet("/ticket.html", async (string id, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets) =>
        {
            var units = await UnitNames.ListAsync(grains);
            return await WithTicketAsync(id, user, grains, tickets, (b, v, code) =>
                TypedResults.Text(TicketDocuments.Page(b, v, code, units.Of(b.UnitId)), "text/html; charset=utf-8"));
        });
        ticket.MapGet("/calendar.ics", async (string id, ClaimsPrincipal user, IGrainFactory grains, [FromKeyedServices(BusinessClock.Key)] TimeProvider clock) =>
        {
            var booking = await BookingEndpoints.OwnedAsync(id, user, grains);
            if (booking is null || await VenueEndpoints.FindAsync(booking.VenueId, grains) is not { } venue)
            {
                return Problems.Result("booking-not-found");
            }
            return TypedResults.Text(TicketDocuments.Calendar(booking, venue, clock.GetUtcNow()), "text/calendar; charset=utf-8");
        });

        var keys = api.MapGroup("/admin/ticket-keys").RequireAuthorization(ApiSetup.AdminOnly);
        keys.MapGet("/", (TicketKeyStore store) => TypedResults.Ok(KeyList(store)));
        keys.MapPost("/", async (TicketKeyStore store, ClaimsPrincipal user, AuditLog audit) =>
        {
            if (store.Shared)
            {
                return Problems.Result("keys-shared");
            }
            var id = store.Rotate();
            await audit.RecordAsync(user, AuditActions.TicketKeyRotate, $"ticket-key/{id}", $"key {id} now signs new tickets");
            return Results.Ok(KeyList(store));
        });
        keys.MapDelete("/{keyId:int}", async (int keyId, TicketKeyStore store, ClaimsPrincipal user, AuditLog audit) =>
        {
            if (store.Shared)
            {
                return Problems.Result("keys-shared");
            }
            if (keyId is < 0 or > ushort.MaxValue || !store.PublicKeys().Any(k => k.Id == keyId))
            {
                return Problems.Result("key-not-found");
            }
            if (keyId == store.ActiveKeyId)
            {
                return Problems.Result("key-in-use");
            }
            if (!store.Retire((ushort)keyId))
            {
                return Problems.Result("key-not-found");
            }
            await audit.RecordAsync(user, AuditActions.TicketKeyRetire, $"ticket-key/{keyId}", $"key {keyId} retired: the tickets it signed no longer verify");
            return TypedResults.Ok(KeyList(store));
        });
    }

    public static IReadOnlyList<TicketKeyDto> KeyList(TicketKeyStore store) =>
        [.. store.PublicKeys().Select(k => new TicketKeyDto(k.Id, Convert.ToBase64String(k.PublicKey), k.Id == store.ActiveKeyId))];

    private static async Task<IResult> WithTicketAsync(
        string id, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets, Func<BookingView, VenueProfile, string, IResult> respond)
    {
        var booking = await BookingEndpoints.OwnedAsync(id, user, grains);
        if (booking is null || await VenueEndpoints.FindAsync(booking.VenueId, grains) is not { } venue)
        {
            return Problems.Result("booking-not-found");
        }
        return booking.Status switch
        {
            BookingStatus.Confirmed => respond(booking, venue, tickets.Issue(booking, venue)),
            BookingStatus.Cancelled => Problems.Result("booking-cancelled"),
            _ => Problems.Result("not-confirmed"),
        };
    }
}

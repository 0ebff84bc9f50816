using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.CheckIn;
using RedEducation.Domain.Tickets;
using RedEducation.Domain.Venues;
using RedEducation.Server.Auth;
using RedEducation.Server.Tickets;

namespace RedEducation.Server.Api;

public sealed record CheckInBody(string? Code, int? Admit, string? Nonce, DateTimeOffset? ScannedAt, string? Desk);

public sealed record CheckInDto(string BookingId, int Admitted, int Arrived, int Headcount, int Remaining, int Forced, bool Duplicate);

public sealed record SyncItemDto(int Index, string? Nonce, string Outcome, string? BookingId, int Admitted, int Arrived, int Headcount, int Remaining, int Forced, bool ForcedNow);

public sealed record ManifestKeyDto(int KeyId, string PublicKey);

public sealed record ExpectedGroupDto(string BookingId, string UnitId, string UnitName, TimeOnly Slot, int Headcount, int TicketSerial, int Arrived, string ContactName, string ContactPhone);

public sealed record RevokedDto(string BookingId, int ValidSerial);

public sealed record ManifestDto(
    string VenueId, uint VenueTag, DateOnly Date, DateTimeOffset GeneratedAt, int OpensMinutesBefore, int ClosesMinutesAfterSlotEnd,
    IReadOnlyList<ManifestKeyDto> Keys, IReadOnlyList<ExpectedGroupDto> Expected, IReadOnlyList<RevokedDto> Revoked, IReadOnlyList<string> Cancelled);

public sealed record OccupancySlotDto(TimeOnly Start, TimeOnly End, int Capacity, int Booked, int Groups, int Arrived, int GroupsArrived, int Forced);

public sealed record OccupancyDto(string VenueId, DateOnly Date, IReadOnlyList<OccupancySlotDto> Slots);

public static class CheckInEndpoints
{
    private const int MaxSyncItems = 1000;

    public static void MapCheckIns(this RouteGroupBuilder api)
    {
        var desk = api.MapGroup("/venues/{venueId}").RequireAuthorization(ApiSetup.StaffOrAdmin);
        desk.MapPost("/checkins", CheckInAsync);
        desk.MapPost("/checkins/image", CheckInImageAsync).DisableAntiforgery().WithBodyLimit(RequestLimits.ImageBodyBytes);
        desk.MapPost("/checkins/sync", SyncAsync).WithBodyLimit(RequestLimits.BatchBodyBytes);
        desk.MapGet("/checkins", LogAsync);
        desk.MapGet("/checkins.csv", CsvAsync);
        desk.MapGet("/manifest", ManifestAsync);
        desk.MapGet("/occupancy", OccupancyAsync);
    }

    private static async Task<IResult> CheckInAsync(string venueId, CheckInBody body, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets)
    {
        if (await DeskVenueAsync(venueId, user, grains) is not { } venue)
        {
            return NotYourVenue(venueId, user);
        }
        if (Validate(body.Code, body.Admit, body.Nonce, body.Desk) is { } invalid)
        {
            return invalid;
        }
        var result = await tickets.ScanAsync(venue, new Scan(body.Code!.Trim(), body.Admit, body.Nonce, body.ScannedAt, body.Desk ?? Staff(user), Staff(user), false));
        return Respond(result);
    }

    private static async Task<IResult> CheckInImageAsync(
        string venueId, IFormFile? image, [FromForm] int? admit, [FromForm] string? nonce, [FromForm] string? desk,
        ClaimsPrincipal user, IGrainFactory grains, TicketService tickets)
    {
        if (await DeskVenueAsync(venueId, user, grains) is not { } venue)
        {
            return NotYourVenue(venueId, user);
        }
        if (image is null || image.Length == 0)
        {
            return Problems.Validation("image", "required: a PNG or JPEG photo of the ticket's QR code");
        }
        using var buffer = new MemoryStream();
        await image.CopyToAsync(buffer);
        var code = QrImages.Decode(buffer.ToArray());
        if (code is null)
        {
            return Problems.Result("no-qr-code");
        }
        if (Validate(code, admit, nonce, desk) is { } invalid)
        {
            return invalid;
        }
        return Respond(await tickets.ScanAsync(venue, new Scan(code, admit, nonce, null, desk ?? Staff(user), Staff(user), false)));
    }

    private static async Task<IResult> SyncAsync(string venueId, IReadOnlyList<CheckInBody>? items, ClaimsPrincipal user, IGrainFactory grains, TicketService tickets)
    {
        if (await DeskVenueAsync(venueId, user, grains) is not { } venue)
        {
            return NotYourVenue(venueId, user);
        }
        if (items is null || items.Count > MaxSyncItems)
        {
            return Problems.Validation("items", $"a JSON array of at most {MaxSyncItems} scans");
        }
        var errors = new Dictionary<string, string[]>();
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (item is null || Validate(item.Code, item.Admit, item.Nonce, item.Desk) is not null || string.IsNullOrEmpty(item.Nonce)
                || item.ScannedAt is not { } at || !tickets.ScanTimeAcceptable(at))
            {
                errors[$"[{i}]"] = ["each scan needs code, admit (1-10000), a nonce (1-128 characters) and scannedAt (not in the future, at most 7 days old)"];
            }
        }
        if (errors.Count > 0)
        {
            return Problems.Result("validation-failed", "some queued scans are invalid; nothing was applied", errors);
        }
        var results = new List<SyncItemDto>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var result = await tickets.ScanAsync(venue, new Scan(item.Code!.Trim(), item.Admit, item.Nonce, item.ScannedAt, item.Desk ?? Staff(user), Staff(user), true));
            var a = result.Admission;
            var forcedNow = result.Outcome == ScanOutcome.Admitted && a is not null && a.Arrived > a.Headcount;
            results.Add(new SyncItemDto(i, item.Nonce, OutcomeName(result.Outcome), result.BookingId, a?.Admitted ?? 0, a?.Arrived ?? 0,
                a?.Headcount ?? 0, a?.Remaining ?? 0, a?.Forced ?? 0, forcedNow));
        }
        return TypedResults.Ok(results);
    }

    private static async Task<IResult> LogAsync(string venueId, string? date, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await DeskVenueAsync(venueId, user, grains) is null)
        {
            return NotYourVenue(venueId, user);
        }
        if (!ApiJson.TryParseDate(date, out var day))
        {
            return Problems.Validation("date", "required, as YYYY-MM-DD");
        }
        var log = await grains.GetGrain<ICheckInGrain>(VenueDayKey.Of(venueId, day)).GetLogAsync();
        return TypedResults.Ok(log.Select(e => new
        {
            e.ScannedAt, e.ReceivedAt, e.Desk, e.Staff, e.BookingId, e.Requested, e.Admitted,
            Outcome = OutcomeName(e.Outcome), e.Forced, e.Offline,
        }));
    }

    private static async Task<IResult> ManifestAsync(string venueId, string? date, ClaimsPrincipal user, IGrainFactory grains, TicketKeyStore keys, Microsoft.Extensions.Options.IOptions<TicketOptions> options, [FromKeyedServices(BusinessClock.Key)] TimeProvider clock)
    {
        if (await DeskVenueAsync(venueId, user, grains) is null)
        {
            return NotYourVenue(venueId, user);
        }
        if (!ApiJson.TryParseDate(date, out var day))
        {
            return Problems.Validation("date", "required, as YYYY-MM-DD");
        }
        var (groups, arrivals) = await DayAsync(venueId, day, grains);
        var units = await UnitNames.ListAsync(grains);
        var live = groups.Where(g => g.Booking is not null && g.Placement.Status != PlacementStatus.Cancelled && g.Booking.Date == day).ToList();
        var expected = live.Where(g => g.Placement.Status == PlacementStatus.Confirmed)
            .Select(g => new ExpectedGroupDto(g.Booking!.Id, g.Booking.UnitId, units.Of(g.Booking.UnitId), g.Booking.Slot, g.Booking.Headcount, g.Booking.TicketSerial,
                arrivals.GetValueOrDefault(g.Booking.Id)?.Arrived ?? 0, g.Booking.ContactName, g.Booking.ContactPhone))
            .ToList();
        var cancelled = groups.Where(g => g.Booking is null || g.Booking.Status == BookingStatus.Cancelled || g.Booking.Date != day)
            .Select(g => BookingIds.OfPlacement(g.Placement.PlacementId)).Distinct().Except(expected.Select(e => e.BookingId)).ToList();
        return TypedResults.Ok(new ManifestDto(
            venueId, TicketClaims.TagOf(venueId), day, clock.GetUtcNow(), options.Value.OpensMinutesBefore, options.Value.ClosesMinutesAfterSlotEnd,
            [.. keys.PublicKeys().Select(k => new ManifestKeyDto(k.Id, Convert.ToBase64String(k.PublicKey)))],
            expected,
            [.. expected.Where(e => e.TicketSerial > 0).Select(e => new RevokedDto(e.BookingId, e.TicketSerial))],
            cancelled));
    }

    private static async Task<IResult> OccupancyAsync(string venueId, string? date, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await DeskVenueAsync(venueId, user, grains) is null)
        {
            return NotYourVenue(venueId, user);
        }
        if (!ApiJson.TryParseDate(date, out var day))
        {
            return Problems.Validation("date", "required, as YYYY-MM-DD");
        }
        var availability = await grains.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venueId, day)).GetAvailabilityAsync();
        var (groups, arrivals) = await DayAsync(venueId, day, grains);
        var confirmed = groups.Where(g => g.Placement.Status == PlacementStatus.Confirmed).ToList();
        return TypedResults.Ok(new OccupancyDto(venueId, day, [.. availability.Slots.Select(s =>
        {
            var inSlot = confirmed.Where(g => g.Placement.Slot == s.Start).Select(g => BookingIds.OfPlacement(g.Placement.PlacementId)).ToList();
            var arrived = inSlot.Select(id => arrivals.GetValueOrDefault(id)).OfType<ArrivalView>().ToList();
            return new OccupancySlotDto(s.Start, s.End, s.Capacity, s.Booked, inSlot.Count, arrived.Sum(a => a.Arrived), arrived.Count(a => a.Arrived > 0), arrived.Sum(a => a.Forced));
        })]));
    }

    private static async Task<IResult> CsvAsync(string venueId, string? date, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (await DeskVenueAsync(venueId, user, grains) is null)
        {
            return NotYourVenue(venueId, user);
        }
        if (!ApiJson.TryParseDate(date, out var day))
        {
            return Problems.Validation("date", "required, as YYYY-MM-DD");
        }
        var (groups, arrivals) = await DayAsync(venueId, day, grains);
        var units = await UnitNames.ListAsync(grains);
        var csv = new StringBuilder("\uFEFFslot,booking_id,unit_id,unit_name,status,headcount,arrived,remaining,forced,contact_name,contact_phone\r\n");
        foreach (var g in groups.Where(g => g.Booking is { } b && b.Date == day).OrderBy(g => g.Placement.Slot))
        {
            var b = g.Booking!;
            var arrived = arrivals.GetValueOrDefault(b.Id);
            csv.Append(CultureInfo.InvariantCulture, $"{ApiJson.Format(b.Slot)},{b.Id},{Csv(b.UnitId)},{Csv(units.Of(b.UnitId))},{b.Status.ToString().ToLowerInvariant()},{b.Headcount},{arrived?.Arrived ?? 0},{Math.Max(0, b.Headcount - (arrived?.Arrived ?? 0))},{arrived?.Forced ?? 0},{Csv(b.ContactName)},{Csv(b.ContactPhone)}\r\n");
        }
        return TypedResults.Text(csv.ToString(), "text/csv; charset=utf-8");
    }

    private static async Task<(IReadOnlyList<(PlacementView Placement, BookingView? Booking)> Groups, IReadOnlyDictionary<string, ArrivalView> Arrivals)> DayAsync(
        string venueId, DateOnly day, IGrainFactory grains)
    {
        var key = VenueDayKey.Of(venueId, day);
        var placements = await grains.GetGrain<IVenueDayGrain>(key).GetPlacementsAsync();
        var bookings = await Task.WhenAll(placements.Select(p => grains.GetGrain<IBookingGrain>(BookingIds.OfPlacement(p.PlacementId)).GetAsync()));
        var arrivals = await grains.GetGrain<ICheckInGrain>(key).GetArrivalsAsync();
        return ([.. placements.Zip(bookings)], arrivals.ToDictionary(a => a.BookingId));
    }

    private static IResult Respond(ScanResult result)
    {
        if (result.Outcome is ScanOutcome.Admitted or ScanOutcome.Duplicate && result.Admission is { } a)
        {
            return TypedResults.Ok(new CheckInDto(result.BookingId!, a.Admitted, a.Arrived, a.Headcount, a.Remaining, a.Forced, result.Outcome == ScanOutcome.Duplicate));
        }
        return Problems.Result(Problems.NameOf(result.Outcome) ?? "invalid-code");
    }

    private static string OutcomeName(ScanOutcome outcome) => Problems.NameOf(outcome) ?? outcome.ToString().ToLowerInvariant();

    private static IResult? Validate(string? code, int? admit, string? nonce, string? desk) =>
        string.IsNullOrWhiteSpace(code) || code.Length > 512 ? Problems.Validation("code", "required: the ticket's code, at most 512 characters")
        : admit is < 1 or > 10_000 ? Problems.Validation("admit", "a whole number from 1 to 10000, or absent to admit everyone not yet in")
        : nonce is { Length: 0 or > 128 } ? Problems.Validation("nonce", "1-128 characters")
        : desk is { Length: 0 or > 64 } ? Problems.Validation("desk", "1-64 characters")
        : null;

    /// <summary>The venue when the caller works there (staff bound to it, or an administrator); null otherwise.</summary>
    private static async Task<VenueProfile?> DeskVenueAsync(string venueId, ClaimsPrincipal user, IGrainFactory grains)
    {
        if (!user.IsAdmin() && !user.HasClaim(TokenIssuer.VenueClaim, venueId))
        {
            return null;
        }
        return await VenueEndpoints.FindAsync(venueId, grains);
    }

    private static IResult NotYourVenue(string venueId, ClaimsPrincipal user) =>
        user.IsAdmin() || user.HasClaim(TokenIssuer.VenueClaim, venueId)
            ? Problems.Result("venue-not-found")
            : Problems.Result("forbidden", "staff check in only at their own venue");

    private static string Staff(ClaimsPrincipal user) => user.FindFirst("sub")?.Value ?? "unknown";

    private static string Csv(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) >= 0 || value.StartsWith('=') || value.StartsWith('+') || value.StartsWith('-') || value.StartsWith('@')
            ? $"\"{value.Replace("\"", "\"\"", StringComparison.Ordinal)}\""
            : value;
}

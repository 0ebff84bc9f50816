using System.Globalization;
using RedEducation.Server.Audit;

namespace RedEducation.Server.Api;

public static class AuditEndpoints
{
    /// <summary>A bare date in a query means a day in the venues' zone (all of Liaoning keeps China Standard Time).</summary>
    private static readonly TimeSpan China = TimeSpan.FromHours(8);

    public static void MapAudit(this RouteGroupBuilder api)
    {
        api.MapGet("/admin/audit", QueryAsync).RequireAuthorization(ApiSetup.AdminOnly);
    }

    private static async Task<IResult> QueryAsync(string? from, string? to, string? actor, string? action, string? before, string? limit, AuditLog audit)
    {
        var errors = new Dictionary<string, string[]>();
        var end = to is null ? audit.Now : Instant(to, endOfDay: true);
        var start = from is null ? end?.AddDays(-7) : Instant(from, endOfDay: false);
        foreach (var (name, given, value) in new[] { ("from", from, start), ("to", to, end) })
        {
            if (given is not null && value is null)
            {
                errors[name] = ["an instant (ISO-8601 with offset) or a date YYYY-MM-DD, years 2001-8999"];
            }
        }
        if (start is { } s && end is { } e && (s > e || e - s > TimeSpan.FromDays(AuditLog.MaxDays)))
        {
            errors["from"] = [$"from must not be after to, and the range at most {AuditLog.MaxDays} days"];
        }
        var cursor = AuditCursor.Decode(before);
        if (before is not null && cursor is null)
        {
            errors["before"] = ["the 'next' value of an earlier page"];
        }
        var count = AuditLog.DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > AuditLog.MaxLimit))
        {
            errors["limit"] = [$"a whole number from 1 to {AuditLog.MaxLimit}"];
        }
        if (actor is { Length: 0 or > 64 } || action is { Length: 0 or > 64 })
        {
            errors[actor is { Length: 0 or > 64 } ? "actor" : "action"] = ["1-64 characters"];
        }
        if (errors.Count > 0)
        {
            return Problems.Result("validation-failed", "the audit query has invalid parameters", errors);
        }
        return TypedResults.Ok(await audit.QueryAsync(new AuditQuery(start!.Value, end!.Value, actor, action, cursor, count)));
    }

    private static DateTimeOffset? Instant(string text, bool endOfDay)
    {
        if (ApiJson.TryParseDate(text, out var date))
        {
            if (date.Year is <= 2000 or >= 9000)
            {
                return null;
            }
            var midnight = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), China);
            return endOfDay ? midnight.AddDays(1).AddTicks(-1) : midnight;
        }
        return text.Length <= 64 && text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            && instant.Year is > 2000 and < 9000
            ? instant
            : null;
    }
}

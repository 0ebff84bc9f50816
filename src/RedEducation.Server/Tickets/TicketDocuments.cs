using System.Globalization;
using System.Net;
using System.Text;
using RedEducation.Contracts;
using RedEducation.Domain.Venues;

namespace RedEducation.Server.Tickets;

/// <summary>The documents a booking's organiser takes away: a calendar entry and a printable ticket page.</summary>
public static class TicketDocuments
{
    /// <summary>An iCalendar (RFC 5545) event for the visit, in UTC so that every calendar places it right.</summary>
    public static string Calendar(BookingView booking, VenueProfile venue, DateTimeOffset now)
    {
        var start = Instant(booking.Date, booking.Slot, venue.Zone);
        var end = start.AddMinutes(Math.Max(venue.VisitMinutes, venue.Limits.SlotMinutes));
        var lines = new[]
        {
            "BEGIN:VCALENDAR",
            "VERSION:2.0",
            "PRODID:-//RedEducation//Booking//ZH",
            "CALSCALE:GREGORIAN",
            "METHOD:PUBLISH",
            "BEGIN:VEVENT",
            $"UID:{booking.Id}@rededucation",
            $"DTSTAMP:{Utc(now)}",
            $"DTSTART:{Utc(start)}",
            $"DTEND:{Utc(end)}",
            $"SUMMARY:{Escape($"{venue.Name.Zh} 团体参观 / Group visit: {venue.Name.En} ({booking.Headcount})")}",
            $"LOCATION:{Escape($"{venue.Address.Zh} {venue.Address.En}".Trim())}",
            string.Create(CultureInfo.InvariantCulture, $"GEO:{venue.Coordinate.Point.Lat:0.######};{venue.Coordinate.Point.Lon:0.######}"),
            $"DESCRIPTION:{Escape($"预约号 Booking {booking.Id}\n人数 Headcount {booking.Headcount}\n联系人 Contact {booking.ContactName}\n{venue.Requirements.Zh}\n{venue.Requirements.En}".Trim())}",
            "END:VEVENT",
            "END:VCALENDAR",
        };
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            Fold(line, text);
        }
        return text.ToString();
    }

    /// <summary>A self-contained printable page: venue, date, slot, unit, headcount and the QR code, in Chinese and English.</summary>
    public static string Page(BookingView booking, VenueProfile venue, string code, string unitName)
    {
        static string H(string s) => WebUtility.HtmlEncode(s);
        var svg = QrImages.Svg(code, 6);
        var date = booking.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var slot = booking.Slot.ToString("HH:mm", CultureInfo.InvariantCulture);
        return $$"""
            <!doctype html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>参观凭证 Visit ticket — {{H(venue.Name.Zh)}}</title>
            <style>
              body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2rem; color: #222; }
              .ticket { border: 2px solid #b71c1c; border-radius: 8px; padding: 1.5rem; max-width: 40rem; }
              h1 { color: #b71c1c; margin: 0 0 .25rem; font-size: 1.6rem; }
              .en { color: #555; font-size: .9em; }
              dl { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem; }
              dt { font-weight: bold; }
              .qr svg { width: 16rem; height: 16rem; }
              .code { font-family: monospace; font-size: .6rem; word-break: break-all; color: #777; }
              @media print { body { margin: 0; } .noprint { display: none; } }
            </style>
            </head>
            <body>
            <div class="ticket">
              <h1>{{H(venue.Name.Zh)}}</h1>
              <div class="en">{{H(venue.Name.En)}} — 团体参观凭证 Group visit ticket</div>
              <dl>
                <dt>日期 Date</dt><dd>{{date}}</dd>
                <dt>时段 Slot</dt><dd>{{slot}}</dd>
                <dt>单位 Unit</dt><dd>{{H(unitName)}}</dd>
                <dt>人数 Headcount</dt><dd>{{booking.Headcount}}</dd>
                <dt>联系人 Contact</dt><dd>{{H(booking.ContactName)}}</dd>
                <dt>预约号 Booking</dt><dd>{{H(booking.Id)}}</dd>
                <dt>地址 Address</dt><dd>{{H(venue.Address.Zh)}}<br><span class="en">{{H(venue.Address.En)}}</span></dd>
              </dl>
              <div class="qr">{{svg}}</div>
              <p>请在入口出示此二维码，可分批入场。<br><span class="en">Show this QR code at the entrance; the group may enter in parts.</span></p>
              <p class="code">{{H(code)}}</p>
            </div>
            <p class="noprint">用浏览器打印（Ctrl+P）即可。<span class="en">Print it from the browser (Ctrl+P).</span></p>
            </body>
            </html>
            """;
    }

    public static DateTimeOffset Instant(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static string Utc(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(";", "\\;", StringComparison.Ordinal)
            .Replace(",", "\\,", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Folds a content line at 75 octets without splitting a UTF-8 character, as RFC 5545 asks.</summary>
    private static void Fold(string line, StringBuilder output)
    {
        var octets = 0;
        foreach (var rune in line.EnumerateRunes())
        {
            var size = rune.Utf8SequenceLength;
            if (octets + size > 75)
            {
                output.Append("\r\n ");
                octets = 1;
            }
            output.Append(rune.ToString());
            octets += size;
        }
        output.Append("\r\n");
    }
}

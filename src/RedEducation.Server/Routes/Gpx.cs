using System.Globalization;
using System.Text;
using System.Xml;
using RedEducation.Domain.Venues;
using RedEducation.Server.Api;

namespace RedEducation.Server.Routes;

/// <summary>A planned day as GPX 1.1: the venues as waypoints in visiting order and the drive as one track.</summary>
public static class Gpx
{
    private const string Namespace = "http://www.topografix.com/GPX/1/1";

    public static string Of(PlanDto plan, IReadOnlyList<VenueProfile> venues)
    {
        // A writer over a StringBuilder declares encoding="utf-16", but the answer goes out as UTF-8: a saved .gpx file
        // would then not parse in any strict reader. Declare what is sent.
        using var text = new Utf8StringWriter();
        using (var xml = XmlWriter.Create(text, new XmlWriterSettings { Indent = true, Encoding = Encoding.UTF8 }))
        {
            xml.WriteStartElement("gpx", Namespace);
            xml.WriteAttributeString("version", "1.1");
            xml.WriteAttributeString("creator", "RedEducation");
            xml.WriteStartElement("metadata", Namespace);
            xml.WriteElementString("name", Namespace, $"研学路线 Study day {plan.Date:yyyy-MM-dd}");
            xml.WriteEndElement();
            foreach (var stop in plan.Stops)
            {
                var venue = venues.First(v => v.Id == stop.VenueId);
                xml.WriteStartElement("wpt", Namespace);
                Position(xml, venue.Coordinate.Point.Lat, venue.Coordinate.Point.Lon);
                xml.WriteElementString("name", Namespace, $"{venue.Name.Zh} {venue.Name.En}");
                xml.WriteElementString("desc", Namespace,
                    string.Create(CultureInfo.InvariantCulture, $"到达 arrive {stop.Arrive:HH\\:mm}, 时段 slot {stop.Slot:HH\\:mm}, 离开 leave {stop.Depart:HH\\:mm}"));
                xml.WriteEndElement();
            }
            xml.WriteStartElement("trk", Namespace);
            xml.WriteElementString("name", Namespace, "行车路线 Drive");
            xml.WriteStartElement("trkseg", Namespace);
            foreach (var point in plan.Geometry.Coordinates)
            {
                xml.WriteStartElement("trkpt", Namespace);
                Position(xml, point[1], point[0]);
                xml.WriteEndElement();
            }
            xml.WriteEndElement();
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        return text.ToString();
    }

    private static void Position(XmlWriter xml, double lat, double lon)
    {
        xml.WriteAttributeString("lat", lat.ToString("0.######", CultureInfo.InvariantCulture));
        xml.WriteAttributeString("lon", lon.ToString("0.######", CultureInfo.InvariantCulture));
    }

    private sealed class Utf8StringWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override Encoding Encoding => Encoding.UTF8;
    }
}

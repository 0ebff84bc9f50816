namespace RedEducation.Domain.Geography;

/// <summary>A latitude and longitude in degrees; which datum (WGS84, GCJ-02, BD-09) depends on where it came from.</summary>
public readonly record struct LatLon(double Lat, double Lon);

/// <summary>
/// Converts between WGS84 and the two datums Chinese web maps show: GCJ-02 (Amap/Gaode, Tencent, Google's China map)
/// and BD-09 (Baidu). RedEducation stores WGS84 only; these conversions are for positions an operator reads off a
/// Chinese map.
/// </summary>
/// <remarks>
/// GCJ-02 is WGS84 plus a deliberate, smooth offset (a few hundred metres) computed on the Krasovsky 1940 ellipsoid
/// (a = 6378245 m, e² = 0.00669342162296594323) from a trigonometric series in (lon − 105°, lat − 35°). BD-09 adds a
/// small rotation and shift in polar form around GCJ-02. Neither formula is published by the authorities; the form used
/// here is the reconstruction that is public and widely used, as written down for example in the eviltransform project
/// (https://github.com/googollee/eviltransform, MIT) and in coordtransform
/// (https://github.com/wandergis/coordtransform, MIT), and described on Wikipedia, "Restrictions on geographic data in
/// China". This file is an independent implementation of those formulas; its tests check it against their published
/// test vectors. GCJ-02 applies only inside China: outside it, GCJ-02 equals WGS84.
/// </remarks>
public static class ChinaCoordinates
{
    private const double KrasovskyA = 6378245.0;
    private const double KrasovskyE2 = 0.00669342162296594323;
    private const double BdPi = Math.PI * 3000.0 / 180.0;

    // The inverse of GCJ-02 is solved by fixed-point iteration; the offset field changes slowly, so each step gains
    // several digits. 1e-10 degrees is about 0.01 mm, far below the 0.5 m the inverse promises.
    private const double InverseToleranceDegrees = 1e-10;
    private const int InverseMaxIterations = 30;

    /// <summary>
    /// Whether the GCJ-02 offset applies at this WGS84 or GCJ-02 position. This is the coarse rectangle the public
    /// implementations use (72.004°–137.8347° E, 0.8293°–55.8271° N), so it also covers neighbouring countries
    /// (Mongolia, the Korean peninsula, parts of Japan and South-East Asia). Good enough for positions in Liaoning;
    /// not a national border.
    /// </summary>
    public static bool IsInChina(double lat, double lon)
    {
        RequireValid(lat, lon);
        return lon is >= 72.004 and <= 137.8347 && lat is >= 0.8293 and <= 55.8271;
    }

    /// <summary>WGS84 to GCJ-02; unchanged outside China.</summary>
    public static LatLon Wgs84ToGcj02(LatLon wgs)
    {
        if (!IsInChina(wgs.Lat, wgs.Lon))
        {
            return wgs;
        }
        var (dLat, dLon) = Offset(wgs.Lat, wgs.Lon);
        return new LatLon(wgs.Lat + dLat, wgs.Lon + dLon);
    }

    /// <summary>GCJ-02 to WGS84 by iterating the forward transform (error below 0.5 m); unchanged outside China.</summary>
    public static LatLon Gcj02ToWgs84(LatLon gcj)
    {
        if (!IsInChina(gcj.Lat, gcj.Lon))
        {
            return gcj;
        }
        // Start from the one-step estimate (subtract the offset computed at the GCJ-02 point, 1–2 m off), then correct
        // by the residual of the forward transform until it vanishes.
        var (dLat, dLon) = Offset(gcj.Lat, gcj.Lon);
        var lat = gcj.Lat - dLat;
        var lon = gcj.Lon - dLon;
        for (var i = 0; i < InverseMaxIterations; i++)
        {
            var forward = Wgs84ToGcj02(new LatLon(lat, lon));
            var errLat = forward.Lat - gcj.Lat;
            var errLon = forward.Lon - gcj.Lon;
            lat -= errLat;
            lon -= errLon;
            if (Math.Abs(errLat) < InverseToleranceDegrees && Math.Abs(errLon) < InverseToleranceDegrees)
            {
                break;
            }
        }
        return new LatLon(lat, lon);
    }

    /// <summary>GCJ-02 to BD-09 (Baidu's rotation and shift).</summary>
    public static LatLon Gcj02ToBd09(LatLon gcj)
    {
        RequireValid(gcj.Lat, gcj.Lon);
        var x = gcj.Lon;
        var y = gcj.Lat;
        var z = Math.Sqrt(x * x + y * y) + 0.00002 * Math.Sin(y * BdPi);
        var theta = Math.Atan2(y, x) + 0.000003 * Math.Cos(x * BdPi);
        return new LatLon(z * Math.Sin(theta) + 0.006, z * Math.Cos(theta) + 0.0065);
    }

    /// <summary>
    /// BD-09 to GCJ-02 with the published closed-form inverse. It undoes <see cref="Gcj02ToBd09"/> to within about
    /// 0.2 m anywhere in China (measured on a grid), far inside the accuracy of any position read off a map; it is
    /// kept in its published form so that results agree with other tools.
    /// </summary>
    public static LatLon Bd09ToGcj02(LatLon bd)
    {
        RequireValid(bd.Lat, bd.Lon);
        var x = bd.Lon - 0.0065;
        var y = bd.Lat - 0.006;
        var z = Math.Sqrt(x * x + y * y) - 0.00002 * Math.Sin(y * BdPi);
        var theta = Math.Atan2(y, x) - 0.000003 * Math.Cos(x * BdPi);
        return new LatLon(z * Math.Sin(theta), z * Math.Cos(theta));
    }

    /// <summary>BD-09 to WGS84 (through GCJ-02).</summary>
    public static LatLon Bd09ToWgs84(LatLon bd) => Gcj02ToWgs84(Bd09ToGcj02(bd));

    /// <summary>WGS84 to BD-09 (through GCJ-02).</summary>
    public static LatLon Wgs84ToBd09(LatLon wgs) => Gcj02ToBd09(Wgs84ToGcj02(wgs));

    // The GCJ-02 offset in degrees at a point: the series gives metres-like values on a plane centred on
    // (105° E, 35° N), which are scaled by the Krasovsky meridian and parallel radii of curvature at the latitude.
    private static (double DLat, double DLon) Offset(double lat, double lon)
    {
        var x = lon - 105.0;
        var y = lat - 35.0;
        var common = (20.0 * Math.Sin(6.0 * x * Math.PI) + 20.0 * Math.Sin(2.0 * x * Math.PI)) * 2.0 / 3.0;

        var sLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.Sqrt(Math.Abs(x));
        sLat += common;
        sLat += (20.0 * Math.Sin(y * Math.PI) + 40.0 * Math.Sin(y / 3.0 * Math.PI)) * 2.0 / 3.0;
        sLat += (160.0 * Math.Sin(y / 12.0 * Math.PI) + 320.0 * Math.Sin(y * Math.PI / 30.0)) * 2.0 / 3.0;

        var sLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.Sqrt(Math.Abs(x));
        sLon += common;
        sLon += (20.0 * Math.Sin(x * Math.PI) + 40.0 * Math.Sin(x / 3.0 * Math.PI)) * 2.0 / 3.0;
        sLon += (150.0 * Math.Sin(x / 12.0 * Math.PI) + 300.0 * Math.Sin(x / 30.0 * Math.PI)) * 2.0 / 3.0;

        var radLat = lat / 180.0 * Math.PI;
        var sin = Math.Sin(radLat);
        var w = 1 - KrasovskyE2 * sin * sin;
        var sqrtW = Math.Sqrt(w);
        var meridianRadius = KrasovskyA * (1 - KrasovskyE2) / (w * sqrtW);
        var parallelRadius = KrasovskyA / sqrtW * Math.Cos(radLat);
        return (sLat * 180.0 / (meridianRadius * Math.PI), sLon * 180.0 / (parallelRadius * Math.PI));
    }

    private static void RequireValid(double lat, double lon)
    {
        if (!double.IsFinite(lat) || lat is < -90 or > 90)
        {
            throw new ArgumentOutOfRangeException(nameof(lat), lat, "Latitude must be a finite number of degrees in [-90, 90].");
        }
        if (!double.IsFinite(lon) || lon is < -180 or > 180)
        {
            throw new ArgumentOutOfRangeException(nameof(lon), lon, "Longitude must be a finite number of degrees in [-180, 180].");
        }
    }
}

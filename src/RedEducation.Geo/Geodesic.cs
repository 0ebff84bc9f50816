namespace RedEducation.Geo;

/// <summary>Geodesic distances on the WGS 84 ellipsoid, in metres.</summary>
public static class Geodesic
{
    private const double A = 6378137.0;
    private const double F = 1 / 298.257223563;
    private const double B = (1 - F) * A;
    private const double E2 = F * (2 - F);
    private const double MeanRadius = 6371008.8;
    private const double Rad = Math.PI / 180;

    /// <summary>The ellipsoidal (Vincenty) distance between two points given in degrees.</summary>
    public static double Distance(double lat1, double lon1, double lat2, double lon2)
    {
        if (lat1 == lat2 && lon1 == lon2)
        {
            return 0;
        }

        var l = (lon2 - lon1) * Rad;
        var u1 = Math.Atan((1 - F) * Math.Tan(lat1 * Rad));
        var u2 = Math.Atan((1 - F) * Math.Tan(lat2 * Rad));
        var (sinU1, cosU1) = Math.SinCos(u1);
        var (sinU2, cosU2) = Math.SinCos(u2);
        var lambda = l;
        for (var iteration = 0; iteration < 200; iteration++)
        {
            var (sinLambda, cosLambda) = Math.SinCos(lambda);
            var t1 = cosU2 * sinLambda;
            var t2 = (cosU1 * sinU2) - (sinU1 * cosU2 * cosLambda);
            var sinSigma = Math.Sqrt((t1 * t1) + (t2 * t2));
            if (sinSigma == 0)
            {
                return 0;
            }

            var cosSigma = (sinU1 * sinU2) + (cosU1 * cosU2 * cosLambda);
            var sigma = Math.Atan2(sinSigma, cosSigma);
            var sinAlpha = cosU1 * cosU2 * sinLambda / sinSigma;
            var cos2Alpha = 1 - (sinAlpha * sinAlpha);
            var cos2SigmaM = cos2Alpha != 0 ? cosSigma - (2 * sinU1 * sinU2 / cos2Alpha) : 0;
            var c = F / 16 * cos2Alpha * (4 + (F * (4 - (3 * cos2Alpha))));
            var previous = lambda;
            lambda = l + ((1 - c) * F * sinAlpha *
                (sigma + (c * sinSigma * (cos2SigmaM + (c * cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM)))))));
            if (Math.Abs(lambda - previous) < 1e-12)
            {
                var uSq = cos2Alpha * ((A * A) - (B * B)) / (B * B);
                var bigA = 1 + (uSq / 16384 * (4096 + (uSq * (-768 + (uSq * (320 - (175 * uSq)))))));
                var bigB = uSq / 1024 * (256 + (uSq * (-128 + (uSq * (74 - (47 * uSq))))));
                var deltaSigma = bigB * sinSigma * (cos2SigmaM + (bigB / 4 * ((cosSigma * (-1 + (2 * cos2SigmaM * cos2SigmaM))) -
                    (bigB / 6 * cos2SigmaM * (-3 + (4 * sinSigma * sinSigma)) * (-3 + (4 * cos2SigmaM * cos2SigmaM))))));
                return B * bigA * (sigma - deltaSigma);
            }
        }

        // Vincenty does not converge for nearly antipodal points; no road edge is that long, so a sphere will do.
        return Haversine(lat1, lon1, lat2, lon2);
    }

    /// <summary>The great-circle distance on a sphere of the mean Earth radius.</summary>
    public static double Haversine(double lat1, double lon1, double lat2, double lon2)
    {
        var dLat = (lat2 - lat1) * Rad;
        var dLon = (lon2 - lon1) * Rad;
        var h = (Math.Sin(dLat / 2) * Math.Sin(dLat / 2)) +
            (Math.Cos(lat1 * Rad) * Math.Cos(lat2 * Rad) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2));
        return 2 * MeanRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }

    /// <summary>Metres per degree of latitude and of longitude at a latitude (ellipsoidal radii of curvature).</summary>
    internal static (double PerDegreeLat, double PerDegreeLon) MetresPerDegree(double lat)
    {
        var (sin, cos) = Math.SinCos(lat * Rad);
        var w = Math.Sqrt(1 - (E2 * sin * sin));
        var meridional = A * (1 - E2) / (w * w * w);
        var primeVertical = A / w;
        return (meridional * Rad, primeVertical * cos * Rad);
    }
}

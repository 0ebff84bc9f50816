using RedEducation.Domain.Geography;

namespace RedEducation.Domain.Tests.Geography;

// Published test vectors used here (their values are data, quoted with their source):
// - eviltransform, https://github.com/googollee/eviltransform (MIT), go/transform_test.go and python/test.py:
//   three WGS84 -> GCJ-02 pairs (Shanghai, Shenzhen, Beijing). Its python/test.py also lists two BD-09 -> WGS84 pairs
//   (29.199786, 120.019809 and 29.210504, 120.036455); the published formulas do not reproduce them (10 m and 40 m
//   off, their origin is not stated), so they are not used.
// - coordtransform, https://github.com/wandergis/coordtransform (MIT), test/app.js: all four conversions of
//   (lon 116.404, lat 39.915).
// - gcoord, https://github.com/hujiulong/gcoord (MIT), test/unit/crs/GCJ02.spec.js and BD09.spec.js: conversions of
//   (lon 123, lat 45), checked there to 5 decimals; and test/fixtures/china-cities.json: the Shenyang (沈河区) and
//   Liaoyang (太子河区) entries.
public sealed class ChinaCoordinatesTests
{
    private const double ExactDegrees = 1e-9;

    [Theory]
    [InlineData(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215)] // eviltransform: Shanghai
    [InlineData(22.543847, 113.912316, 22.540796131694766, 113.9171764808363)] // eviltransform: Shenzhen
    [InlineData(39.911954, 116.377817, 39.91334545536069, 116.38404722455657)] // eviltransform: Beijing
    [InlineData(39.915, 116.404, 39.91640428150164, 116.41024449916938)] // coordtransform: wgs84togcj02
    public void Wgs84ToGcj02_PublishedVector_MatchesExactly(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var gcj = ChinaCoordinates.Wgs84ToGcj02(new LatLon(wgsLat, wgsLon));

        Assert.Equal(gcjLat, gcj.Lat, ExactDegrees);
        Assert.Equal(gcjLon, gcj.Lon, ExactDegrees);
    }

    [Theory]
    [InlineData(31.1774276, 121.5272106, 31.17530398364597, 121.531541859215)] // eviltransform: Shanghai
    [InlineData(22.543847, 113.912316, 22.540796131694766, 113.9171764808363)] // eviltransform: Shenzhen
    [InlineData(39.911954, 116.377817, 39.91334545536069, 116.38404722455657)] // eviltransform: Beijing
    public void Gcj02ToWgs84_PublishedVector_WithinHalfMetre(double wgsLat, double wgsLon, double gcjLat, double gcjLon)
    {
        var wgs = ChinaCoordinates.Gcj02ToWgs84(new LatLon(gcjLat, gcjLon));

        Assert.InRange(Metres(wgs, new LatLon(wgsLat, wgsLon)), 0, 0.5);
    }

    [Fact]
    public void Gcj02ToWgs84_CoordtransformVector_AgreesWithItsOneStepApproximation()
    {
        // coordtransform's gcj02towgs84 subtracts the offset once (1–2 m error by design); the iterative inverse must
        // land close to it but need not equal it.
        var wgs = ChinaCoordinates.Gcj02ToWgs84(new LatLon(39.915, 116.404));

        Assert.InRange(Metres(wgs, new LatLon(39.91359571849836, 116.39775550083061)), 0, 2);
    }

    [Theory]
    [InlineData(39.915, 116.404, 39.92133699351021, 116.41036949371029)] // coordtransform: gcj02tobd09
    [InlineData(45, 123, 45.00636899, 123.00636499)] // gcoord GCJ02.spec.js (8 decimals published)
    public void Gcj02ToBd09_PublishedVector_Matches(double gcjLat, double gcjLon, double bdLat, double bdLon)
    {
        var bd = ChinaCoordinates.Gcj02ToBd09(new LatLon(gcjLat, gcjLon));

        Assert.Equal(bdLat, bd.Lat, 1e-8);
        Assert.Equal(bdLon, bd.Lon, 1e-8);
    }

    [Theory]
    [InlineData(39.915, 116.404, 39.90865673957631, 116.39762729119315)] // coordtransform: bd09togcj02
    [InlineData(45, 123, 44.99365430, 122.99363304)] // gcoord BD09.spec.js (8 decimals published)
    public void Bd09ToGcj02_PublishedVector_Matches(double bdLat, double bdLon, double gcjLat, double gcjLon)
    {
        var gcj = ChinaCoordinates.Bd09ToGcj02(new LatLon(bdLat, bdLon));

        Assert.Equal(gcjLat, gcj.Lat, 1e-8);
        Assert.Equal(gcjLon, gcj.Lon, 1e-8);
    }

    [Fact]
    public void Gcj02ToWgs84_GcoordVector_MatchesToFiveDecimals()
    {
        var wgs = ChinaCoordinates.Gcj02ToWgs84(new LatLon(45, 123));

        Assert.Equal(44.99804071, wgs.Lat, 5e-6);
        Assert.Equal(122.99395597, wgs.Lon, 5e-6);
    }

    [Fact]
    public void Bd09ToWgs84_GcoordVector_MatchesToFiveDecimals()
    {
        var wgs = ChinaCoordinates.Bd09ToWgs84(new LatLon(45, 123));

        Assert.Equal(44.99171540, wgs.Lat, 5e-6);
        Assert.Equal(122.98762210, wgs.Lon, 5e-6);
    }

    [Theory]
    [InlineData(41.8032629, 123.4253306, 41.8057023, 123.4314787, 41.8114013, 123.438095)] // gcoord fixture: 沈阳市
    [InlineData(41.2651725, 123.2312099, 41.2672464, 123.2369518, 41.2736074, 123.2433178)] // gcoord fixture: 辽阳市
    public void Conversions_GcoordLiaoningFixture_AgreeWithinOneMetre(
        double wgsLat, double wgsLon, double gcjLat, double gcjLon, double bdLat, double bdLon)
    {
        // The fixture's WGS84 columns sit about 0.7 m from the published formula (gcoord itself checks them to four
        // decimals only); its GCJ-02/BD-09 columns agree to a few centimetres.
        var wgs = new LatLon(wgsLat, wgsLon);
        var gcj = new LatLon(gcjLat, gcjLon);
        var bd = new LatLon(bdLat, bdLon);

        Assert.InRange(Metres(ChinaCoordinates.Wgs84ToGcj02(wgs), gcj), 0, 1);
        Assert.InRange(Metres(ChinaCoordinates.Gcj02ToWgs84(gcj), wgs), 0, 1);
        Assert.InRange(Metres(ChinaCoordinates.Gcj02ToBd09(gcj), bd), 0, 0.2);
        Assert.InRange(Metres(ChinaCoordinates.Bd09ToGcj02(bd), gcj), 0, 0.2);
        Assert.InRange(Metres(ChinaCoordinates.Bd09ToWgs84(bd), wgs), 0, 1);
        Assert.InRange(Metres(ChinaCoordinates.Wgs84ToBd09(wgs), bd), 0, 1);
    }

    [Fact]
    public void Gcj02ToWgs84_ProductBriefCemeteryPoint_GivesTheStoredWgs84Position()
    {
        // product.md: the published point 41.85003, 123.43660, taken as GCJ-02, is about 41.84760, 123.43046 in WGS84
        // (the value stored in geodata/venues.geojson).
        var wgs = ChinaCoordinates.Gcj02ToWgs84(new LatLon(41.85003, 123.43660));

        Assert.InRange(Metres(wgs, new LatLon(41.84760, 123.43046)), 0, 5);
    }

    [Fact]
    public void Wgs84ToGcj02_ShenyangCentre_OffsetIsAboutHalfAKilometre()
    {
        var shenyang = new LatLon(41.79222, 123.43278);

        // 577 m by the formula; product.md says about 0.5 km.
        Assert.InRange(Metres(ChinaCoordinates.Wgs84ToGcj02(shenyang), shenyang), 450, 700);
    }

    [Fact]
    public void Wgs84ToBd09_ShenyangCentre_OffsetIsAboutOnePointThreeKilometres()
    {
        var shenyang = new LatLon(41.79222, 123.43278);

        // 1,397 m by the formula; product.md says about 1.3 km.
        Assert.InRange(Metres(ChinaCoordinates.Wgs84ToBd09(shenyang), shenyang), 1200, 1600);
    }

    [Fact]
    public void Gcj02ToWgs84_GridOverChina_RoundTripsWithinHalfMetre()
    {
        var worst = 0.0;
        for (var lat = 18.0; lat <= 53.5; lat += 0.5)
        {
            for (var lon = 74.0; lon <= 134.5; lon += 0.5)
            {
                var wgs = new LatLon(lat, lon);
                var back = ChinaCoordinates.Gcj02ToWgs84(ChinaCoordinates.Wgs84ToGcj02(wgs));
                worst = Math.Max(worst, Metres(back, wgs));
            }
        }

        Assert.InRange(worst, 0, 0.5);
    }

    [Fact]
    public void Bd09ToWgs84_GridOverLiaoning_RoundTripsWithinHalfMetre()
    {
        var worst = 0.0;
        for (var lat = 38.5; lat <= 43.5; lat += 0.1)
        {
            for (var lon = 118.8; lon <= 125.8; lon += 0.1)
            {
                var wgs = new LatLon(lat, lon);
                var back = ChinaCoordinates.Bd09ToWgs84(ChinaCoordinates.Wgs84ToBd09(wgs));
                worst = Math.Max(worst, Metres(back, wgs));
            }
        }

        Assert.InRange(worst, 0, 0.5);
    }

    [Fact]
    public void Wgs84ToBd09_AnyPoint_EqualsGcj02ThenBd09()
    {
        var wgs = new LatLon(40.1196, 124.3668);

        var direct = ChinaCoordinates.Wgs84ToBd09(wgs);
        var stepwise = ChinaCoordinates.Gcj02ToBd09(ChinaCoordinates.Wgs84ToGcj02(wgs));

        Assert.Equal(stepwise, direct);
    }

    [Theory]
    [InlineData(41.79222, 123.43278)] // Shenyang
    [InlineData(40.12917, 124.39472)] // Dandong
    [InlineData(38.91222, 121.60222)] // Dalian
    [InlineData(39.915, 116.404)] // Beijing
    public void IsInChina_LiaoningAndBeijing_IsTrue(double lat, double lon)
    {
        Assert.True(ChinaCoordinates.IsInChina(lat, lon));
    }

    [Theory]
    [InlineData(51.5007, -0.1246)] // London
    [InlineData(35.6895, 139.6917)] // Tokyo, east of the rectangle
    [InlineData(56.0, 100.0)] // north of the rectangle
    [InlineData(0.5, 100.0)] // south of the rectangle
    [InlineData(40.0, 71.9)] // west of the rectangle
    public void IsInChina_OutsideTheRectangle_IsFalse(double lat, double lon)
    {
        Assert.False(ChinaCoordinates.IsInChina(lat, lon));
    }

    [Fact]
    public void Wgs84ToGcj02_OutsideChina_ReturnsThePointUnchanged()
    {
        var london = new LatLon(51.5007, -0.1246);

        Assert.Equal(london, ChinaCoordinates.Wgs84ToGcj02(london));
        Assert.Equal(london, ChinaCoordinates.Gcj02ToWgs84(london));
    }

    [Theory]
    [InlineData(double.NaN, 123.0)]
    [InlineData(41.0, double.PositiveInfinity)]
    [InlineData(90.5, 123.0)]
    [InlineData(41.0, -180.5)]
    public void Conversions_InvalidCoordinate_Throw(double lat, double lon)
    {
        var point = new LatLon(lat, lon);

        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.IsInChina(lat, lon));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.Wgs84ToGcj02(point));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.Gcj02ToWgs84(point));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.Gcj02ToBd09(point));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.Bd09ToGcj02(point));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.Bd09ToWgs84(point));
        Assert.Throws<ArgumentOutOfRangeException>(() => ChinaCoordinates.Wgs84ToBd09(point));
    }

    // Great-circle distance on the mean Earth sphere; at these sub-kilometre distances it differs from the
    // ellipsoidal distance by well under 1 %.
    private static double Metres(LatLon a, LatLon b)
    {
        const double meanRadius = 6371008.8;
        var dLat = double.DegreesToRadians(b.Lat - a.Lat);
        var dLon = double.DegreesToRadians(b.Lon - a.Lon);
        var h = Math.Sin(dLat / 2) * Math.Sin(dLat / 2) +
                Math.Cos(double.DegreesToRadians(a.Lat)) * Math.Cos(double.DegreesToRadians(b.Lat)) * Math.Sin(dLon / 2) * Math.Sin(dLon / 2);
        return 2 * meanRadius * Math.Asin(Math.Min(1, Math.Sqrt(h)));
    }
}

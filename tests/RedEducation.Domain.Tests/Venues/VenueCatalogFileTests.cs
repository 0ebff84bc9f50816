using System.Text.Json.Nodes;
using RedEducation.Domain.Venues;
using RedEducation.Testing;

namespace RedEducation.Domain.Tests.Venues;

public sealed class VenueCatalogFileTests
{
    private static readonly string[] SeedIds =
    [
        "shenyang-cpv-cemetery", "leifeng-memorial", "guan-xiangying-memorial", "liaoshen-memorial", "dandong-kmyc-memorial",
        "dalian-industrial-society", "mangniutun-command-post", "tashan-memorial", "peishuichi-battle-site", "heishan-memorial",
    ];

    [Fact]
    public void Parse_SeedFile_HasTheTenVenuesInFileOrder()
    {
        Assert.Equal(SeedIds, TestVenues.Seeded.Select(v => v.Id));
    }

    [Fact]
    public void Parse_SeedFile_EveryVenueIsSoundAndInShanghaiTime()
    {
        Assert.All(TestVenues.Seeded, v =>
        {
            Assert.Empty(v.Problems());
            Assert.Equal("Asia/Shanghai", v.TimeZone);
            Assert.False(string.IsNullOrWhiteSpace(v.Name.Zh), $"{v.Id} has no Chinese name");
            Assert.False(string.IsNullOrWhiteSpace(v.Name.En), $"{v.Id} has no English name");
            Assert.NotEmpty(v.Sources);
            Assert.NotEmpty(v.DailySlots());
        });
    }

    [Fact]
    public void Parse_SeedFile_LiaoshenRouteHasFiveStopsInHistoricalOrder()
    {
        var stops = TestVenues.Seeded.Where(v => v.CampaignStop is not null).OrderBy(v => v.CampaignStop!.Order).ToList();

        Assert.Equal(
            ["mangniutun-command-post", "tashan-memorial", "peishuichi-battle-site", "liaoshen-memorial", "heishan-memorial"],
            stops.Select(v => v.Id));
        Assert.Equal([1, 2, 3, 4, 5], stops.Select(v => v.CampaignStop!.Order));
        for (var i = 1; i < stops.Count; i++)
        {
            Assert.True(stops[i - 1].CampaignStop!.From < stops[i].CampaignStop!.From, $"{stops[i].Id} starts before {stops[i - 1].Id}");
        }
        Assert.All(stops, v =>
        {
            var stop = v.CampaignStop!;
            Assert.True(stop.From <= stop.To, $"{v.Id}: {stop.From} after {stop.To}");
            Assert.InRange(stop.From, new DateOnly(1948, 9, 12), new DateOnly(1948, 11, 2));
            Assert.InRange(stop.To, new DateOnly(1948, 9, 12), new DateOnly(1948, 11, 2));
            Assert.False(string.IsNullOrWhiteSpace(stop.Text.Zh), $"{v.Id} has no Chinese route text");
        });
    }

    [Fact]
    public void Parse_SeedFile_DandongClosedLunarNewYearEveToDayThree()
    {
        var dandong = TestVenues.Seed("dandong-kmyc-memorial");

        for (var day = new DateOnly(2027, 2, 5); day <= new DateOnly(2027, 2, 8); day = day.AddDays(1))
        {
            Assert.False(dandong.IsOpenOn(day), $"open on {day}");
        }
        Assert.True(dandong.IsOpenOn(new DateOnly(2027, 2, 4)));
        Assert.True(dandong.IsOpenOn(new DateOnly(2027, 2, 9)));
    }

    [Fact]
    public void Parse_SeedFile_DandongBooksOneToSevenDaysAheadAndClosesMondaysExceptHolidays()
    {
        var dandong = TestVenues.Seed("dandong-kmyc-memorial");

        Assert.Equal((1, 7), (dandong.Limits.LeadMinDays, dandong.Limits.LeadMaxDays));
        Assert.Equal(3000, dandong.Limits.DailyCap);
        Assert.Equal(new DailyHours(new TimeOnly(9, 0), new TimeOnly(16, 0), new TimeOnly(16, 30)), dandong.Hours);
        Assert.False(dandong.IsOpenOn(new DateOnly(2027, 3, 1)));
        Assert.True(dandong.IsOpenOn(new DateOnly(2027, 4, 5)));
    }

    [Fact]
    public void Parse_SeedFile_GuanXiangyingHasPublishedRules()
    {
        var guan = TestVenues.Seed("guan-xiangying-memorial");

        Assert.Equal(new DailyHours(new TimeOnly(8, 0), new TimeOnly(15, 30), new TimeOnly(16, 0)), guan.Hours);
        Assert.Equal(3, guan.Limits.LeadMinDays);
        Assert.Equal(3000, guan.Limits.DailyCap);
        Assert.Equal([DayOfWeek.Monday], guan.ClosedWeekdays);
    }

    [Fact]
    public void Parse_SeedFile_ApproximateCoordinatesSaySoWithTheirAccuracy()
    {
        var approximate = TestVenues.Seeded.Where(v => v.Coordinate.Approximate).ToList();

        // The brief found no authoritative position for any site; even Dandong's has two sources 413 m apart.
        Assert.Equal(SeedIds, approximate.Select(v => v.Id));
        Assert.All(approximate, v =>
        {
            Assert.True(v.Coordinate.AccuracyMeters >= 500, $"{v.Id} claims ±{v.Coordinate.AccuracyMeters} m");
            Assert.False(string.IsNullOrWhiteSpace(v.Coordinate.Source), $"{v.Id} does not say where its position came from");
            Assert.Equal("WGS84", v.Coordinate.Datum);
        });
    }

    [Theory]
    [InlineData("leifeng-memorial", 3000)]
    [InlineData("guan-xiangying-memorial", 4000)]
    [InlineData("liaoshen-memorial", 1500)]
    [InlineData("dalian-industrial-society", 3000)]
    [InlineData("mangniutun-command-post", 3000)]
    [InlineData("tashan-memorial", 3000)]
    [InlineData("peishuichi-battle-site", 1500)]
    [InlineData("heishan-memorial", 1500)]
    public void Parse_SeedFile_EstimatedPositionsCarryTheBriefsAccuracy(string id, int accuracyMeters)
    {
        var venue = TestVenues.Seed(id);

        Assert.True(venue.Coordinate.Approximate);
        Assert.Equal(accuracyMeters, venue.Coordinate.AccuracyMeters);
        Assert.Contains("Estimate", venue.Coordinate.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeedFile_CoordinatesAreLatitudeLongitudeInsideLiaoning()
    {
        Assert.All(TestVenues.Seeded, v =>
        {
            Assert.InRange(v.Coordinate.Point.Lat, 38.5, 43.5);
            Assert.InRange(v.Coordinate.Point.Lon, 118.5, 125.8);
        });
        Assert.Equal(new GeoPoint(41.86, 123.85), TestVenues.Seed("leifeng-memorial").Coordinate.Point);
        Assert.Equal(new GeoPoint(40.1196, 124.3668), TestVenues.Seed("dandong-kmyc-memorial").Coordinate.Point);
    }

    [Fact]
    public void Parse_MinimalValidFile_ReadsAllFields()
    {
        var venue = Assert.Single(VenueCatalogFile.Parse(Document().ToJsonString()));

        Assert.Equal("test-hall", venue.Id);
        Assert.Equal(new GeoPoint(41.8, 123.4), venue.Coordinate.Point);
        Assert.Equal(new DailyHours(new TimeOnly(9, 0), new TimeOnly(16, 0), new TimeOnly(17, 0)), venue.Hours);
        Assert.Equal([DayOfWeek.Monday], venue.ClosedWeekdays);
        Assert.Equal(new DayOverride(new DateOnly(2027, 4, 5), true, new LocalizedText("开放", "Open")), Assert.Single(venue.Exceptions));
        Assert.Equal(new BookingLimits(60, 100, 800, 5, 60, 3, 30, 120), venue.Limits);
        Assert.Equal(3, venue.CampaignStop!.Order);
        Assert.Equal(new DateOnly(1948, 10, 12), venue.CampaignStop.From);
    }

    [Fact]
    public void Parse_NoFeaturesArray_ThrowsFormatException()
    {
        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse("""{ "type": "FeatureCollection" }"""));

        Assert.Contains("features", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "type": "FeatureCollection", "features": {} }""")]
    [InlineData("""{ "type": "FeatureCollection", "features": "none" }""")]
    [InlineData("""[]""")]
    [InlineData("""{ "type": "FeatureCollection", "features": [ """)]
    [InlineData("")]
    public void Parse_NotAFeatureCollection_ThrowsFormatException(string json)
    {
        Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(json));
    }

    [Theory]
    [InlineData("kind")]
    [InlineData("timeZone")]
    [InlineData("hours")]
    [InlineData("hours.open")]
    [InlineData("hours.lastEntry")]
    [InlineData("coordinate")]
    [InlineData("coordinate.source")]
    [InlineData("coordinate.accuracyMeters")]
    [InlineData("slotMinutes")]
    [InlineData("slotCapacity")]
    [InlineData("dailyCap")]
    [InlineData("groupMax")]
    [InlineData("leadMaxDays")]
    [InlineData("unitCapPerDay")]
    [InlineData("visitMinutes")]
    [InlineData("exceptions.0.date")]
    [InlineData("exceptions.0.open")]
    [InlineData("liaoshenRoute.order")]
    [InlineData("liaoshenRoute.dates")]
    [InlineData("liaoshenRoute.dates.from")]
    [InlineData("geometry")]
    [InlineData("geometry.coordinates")]
    public void Parse_MissingField_ThrowsFormatExceptionNamingTheVenue(string path)
    {
        var document = Document();
        Remove(document, path);

        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(document.ToJsonString()));

        Assert.Contains("'test-hall'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingId_ThrowsFormatExceptionNamingTheField()
    {
        var document = Document();
        Remove(document, "id");

        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(document.ToJsonString()));

        Assert.Contains("'id'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("open", "9:00")]
    [InlineData("open", "25:00")]
    [InlineData("lastEntry", "16:00:00")]
    [InlineData("close", "noon")]
    [InlineData("close", "")]
    public void Parse_BadTime_ThrowsFormatExceptionNamingTheVenue(string field, string value)
    {
        var document = Document();
        Properties(document)["hours"]![field] = value;

        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(document.ToJsonString()));

        Assert.Contains("'test-hall'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("closedWeekdays", "Funday")]
    [InlineData("closedWeekdays", "Mon")]
    [InlineData("closedWeekdays", "8")]
    [InlineData("closedWeekdays", "1")]
    [InlineData("closedWeekdays", "monday")]
    [InlineData("exceptionDate", "2027-13-01")]
    [InlineData("exceptionDate", "05/04/2027")]
    [InlineData("exceptionOpen", "yes")]
    [InlineData("slotCapacityText", "100")]
    [InlineData("slotCapacityFraction", "")]
    [InlineData("idNumber", "")]
    [InlineData("longitudeOnly", "")]
    [InlineData("latitudeText", "")]
    [InlineData("nullSource", "")]
    [InlineData("numberAssumed", "")]
    [InlineData("featureNotObject", "")]
    public void Parse_BadValue_ThrowsFormatExceptionNamingTheVenue(string change, string value)
    {
        var document = Document();
        var p = Properties(document);
        switch (change)
        {
            case "closedWeekdays": p["closedWeekdays"] = new JsonArray(value); break;
            case "exceptionDate": p["exceptions"]![0]!["date"] = value; break;
            case "exceptionOpen": p["exceptions"]![0]!["open"] = value; break;
            case "slotCapacityText": p["slotCapacity"] = value; break;
            case "slotCapacityFraction": p["slotCapacity"] = 99.5; break;
            case "idNumber": p["id"] = 42; break;
            case "longitudeOnly": document["features"]![0]!["geometry"]!["coordinates"] = new JsonArray(123.4); break;
            case "latitudeText": document["features"]![0]!["geometry"]!["coordinates"] = new JsonArray(123.4, "41.8"); break;
            case "nullSource": p["sources"] = new JsonArray((JsonNode?)null); break;
            case "numberAssumed": p["assumed"] = new JsonArray(1); break;
            case "featureNotObject": document["features"]!.AsArray().Add(7); break;
            default: throw new ArgumentOutOfRangeException(nameof(change), change, null);
        }

        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(document.ToJsonString()));

        // Without a readable id or properties there is no venue to name; the message names what is wrong instead.
        var named = change switch
        {
            "idNumber" => "'id'",
            "featureNotObject" => "'properties'",
            _ => "'test-hall'",
        };
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateId_ThrowsFormatExceptionNamingTheId()
    {
        var document = Document();
        var features = document["features"]!.AsArray();
        features.Add(features[0]!.DeepClone());

        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(document.ToJsonString()));

        Assert.Contains("'test-hall'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("17:30", "17:00")]
    [InlineData("08:00", "17:00")]
    public void Parse_InconsistentHours_ThrowsFormatExceptionNamingVenueAndHours(string lastEntry, string close)
    {
        var document = Document();
        Properties(document)["hours"]!["lastEntry"] = lastEntry;
        Properties(document)["hours"]!["close"] = close;

        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(document.ToJsonString()));

        Assert.Contains("'test-hall'", error.Message, StringComparison.Ordinal);
        Assert.Contains("hours", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_InconsistentLimits_ThrowsFormatExceptionNamingVenueAndField()
    {
        var document = Document();
        Properties(document)["groupMax"] = 500;

        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(document.ToJsonString()));

        Assert.Contains("'test-hall'", error.Message, StringComparison.Ordinal);
        Assert.Contains("groupMax", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SecondVenueBroken_ErrorNamesTheSecondVenue()
    {
        var document = Document();
        var features = document["features"]!.AsArray();
        var second = features[0]!.DeepClone();
        second["properties"]!["id"] = "second-hall";
        second["properties"]!["hours"]!["open"] = "late";
        features.Add(second);

        var error = Assert.Throws<FormatException>(() => VenueCatalogFile.Parse(document.ToJsonString()));

        Assert.Contains("'second-hall'", error.Message, StringComparison.Ordinal);
    }

    private static JsonNode Properties(JsonNode document) => document["features"]![0]!["properties"]!;

    private static void Remove(JsonNode document, string path)
    {
        var steps = path.Split('.');
        JsonNode node = steps[0] is "geometry" ? document["features"]![0]! : Properties(document);
        foreach (var step in steps[..^1])
        {
            node = int.TryParse(step, out var index) ? node[index]! : node[step]!;
        }
        Assert.True(node.AsObject().Remove(steps[^1]), $"the sample has no '{path}'");
    }

    private static JsonNode Document() => JsonNode.Parse("""
        {
          "type": "FeatureCollection",
          "features": [
            {
              "type": "Feature",
              "geometry": { "type": "Point", "coordinates": [123.4, 41.8] },
              "properties": {
                "id": "test-hall",
                "kind": "memorial",
                "name": { "zh": "测试馆", "en": "Test hall" },
                "city": { "zh": "锦州", "en": "Jinzhou" },
                "address": { "zh": "", "en": "" },
                "timeZone": "Asia/Shanghai",
                "coordinate": { "source": "test", "datum": "WGS84", "accuracyMeters": 100, "approximate": false },
                "hours": { "open": "09:00", "lastEntry": "16:00", "close": "17:00" },
                "closedWeekdays": ["Monday"],
                "exceptions": [ { "date": "2027-04-05", "open": true, "note": { "zh": "开放", "en": "Open" } } ],
                "slotMinutes": 60, "slotCapacity": 100, "dailyCap": 800, "groupMin": 5, "groupMax": 60,
                "leadMinDays": 3, "leadMaxDays": 30, "unitCapPerDay": 120, "visitMinutes": 60,
                "resources": [],
                "liaoshenRoute": { "order": 3, "dates": { "from": "1948-10-12", "to": "1948-10-12" }, "text": { "zh": "配水池", "en": "Waterworks" } },
                "sources": ["test"],
                "assumed": []
              }
            }
          ]
        }
        """)!;
}

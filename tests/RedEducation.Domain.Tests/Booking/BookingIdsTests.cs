using RedEducation.Domain.Booking;

namespace RedEducation.Domain.Tests.Booking;

public sealed class BookingIdsTests
{
    [Fact]
    public void From_SameUnitAndKey_ReturnsSameId()
    {
        Assert.Equal(BookingIds.From("unit1", "key-123"), BookingIds.From("unit1", "key-123"));
    }

    [Fact]
    public void From_DifferentUnitSameKey_ReturnsDifferentIds()
    {
        Assert.NotEqual(BookingIds.From("unit1", "key-123"), BookingIds.From("unit2", "key-123"));
    }

    [Fact]
    public void From_SameUnitDifferentKey_ReturnsDifferentIds()
    {
        Assert.NotEqual(BookingIds.From("unit1", "key-123"), BookingIds.From("unit1", "key-124"));
    }

    [Fact]
    public void From_ManyKeys_NoTwoIdsCollide()
    {
        var ids = Enumerable.Range(0, 10_000).Select(i => BookingIds.From("unit1", $"key-{i}")).ToHashSet();

        Assert.Equal(10_000, ids.Count);
    }

    [Theory]
    [InlineData("unit1", "key-123")]
    [InlineData("unit1", "")]
    [InlineData("沈阳市公安局", "幂等键")]
    [InlineData("u", "3f2504e04f8941d39a0c0305e82c3301")]
    public void From_AnyInput_IsWellFormed(string unit, string key)
    {
        var id = BookingIds.From(unit, key);

        Assert.True(BookingIds.IsWellFormed(id), id);
        Assert.Equal(22, id.Length);
        Assert.StartsWith("bk", id, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("bk")]
    [InlineData("../x")]
    [InlineData("bk/../../etc/passwd000")]
    [InlineData("bk..%2F..%2Fadminaaaaa")]
    [InlineData("bkaaaaaaaaaaaaaaaaaaa")]
    [InlineData("bkaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("xxaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("BKaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("bkAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("bk11111111111111111111")]
    [InlineData("bk000000000000000000a8")]
    [InlineData("bkaaaaaaaaaa aaaaaaaaa")]
    [InlineData("bkaaaaaaaaaaaaaaaaaaa\n")]
    [InlineData("bkaaaaaaaaaaaaaaaaaaaa.1")]
    public void IsWellFormed_Garbage_ReturnsFalse(string? id)
    {
        Assert.False(BookingIds.IsWellFormed(id));
    }

    [Fact]
    public void IsWellFormed_OverLong_ReturnsFalse()
    {
        Assert.False(BookingIds.IsWellFormed("bk" + new string('a', 10_000)));
        Assert.False(BookingIds.IsWellFormed(BookingIds.From("unit1", "k") + "a"));
    }

    [Fact]
    public void Placement_FirstGeneration_IsTheBookingId()
    {
        var id = BookingIds.From("unit1", "k");

        Assert.Equal(id, BookingIds.Placement(id, 0));
    }

    [Fact]
    public void Placement_LaterGenerations_AreDistinctFromEachOtherAndTheBooking()
    {
        var id = BookingIds.From("unit1", "k");

        string[] placements = [.. Enumerable.Range(0, 5).Select(g => BookingIds.Placement(id, g))];

        Assert.Equal(5, placements.Distinct().Count());
        Assert.All(placements.Skip(1), p => Assert.StartsWith(id, p, StringComparison.Ordinal));
    }
}

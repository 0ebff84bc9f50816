using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RedEducation.Cli.Tests;

public sealed partial class BookingCommandTests(CliServer server)
{
    private string Day => server.VisitDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Book_ValidGroup_PrintsTheBookingIdConfirmedStatusAndTheKeyToRetryWith()
    {
        var run = await BookAsync("unit1", "10:00", 30);

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Matches(BookingLine(), run.Out);
        Assert.Contains("状态 status: 已确认 confirmed", run.Out, StringComparison.Ordinal);
        Assert.Contains("retry with --key", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_SameKeyTwice_ReturnsTheSameBooking()
    {
        var key = "cli-test-" + Guid.NewGuid();

        var first = await BookAsync("unit1", "11:00", 20, "--key", key);
        var second = await BookAsync("unit1", "11:00", 20, "--key", key);

        Assert.True(first.Exit == 0, first.ToString());
        Assert.True(second.Exit == 0, second.ToString());
        Assert.Equal(IdOf(first), IdOf(second));
        Assert.DoesNotContain("retry with --key", second.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_HeadcountZero_ExitsOneWithTheProblemTitleAndField()
    {
        var run = await BookAsync("unit1", "10:00", 0);

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("Some fields are invalid", run.Err, StringComparison.Ordinal);
        Assert.Contains("headcount", run.Err, StringComparison.Ordinal);
        Assert.Contains("/problems/validation-failed", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_GroupTooLarge_ExitsOneWithTheProblemTitleAndType()
    {
        var run = await BookAsync("unit1", "10:00", 9000);

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("The group is larger than the venue accepts", run.Err, StringComparison.Ordinal);
        Assert.Contains("/problems/group-too-large", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Book_Json_PrintsTheServersBookingAndARefusalAsAProblemDocument()
    {
        var ok = await BookAsync("unit2", "13:00", 25, "--json");
        var refused = await BookAsync("unit2", "13:00", 9000, "--json");

        Assert.True(ok.Exit == 0, ok.ToString());
        using var booking = JsonDocument.Parse(ok.Out);
        Assert.Equal("confirmed", booking.RootElement.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(booking.RootElement.GetProperty("ticket").GetProperty("code").GetString()));
        Assert.Equal(1, refused.Exit);
        using var problem = JsonDocument.Parse(refused.Out);
        Assert.EndsWith("/problems/group-too-large", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bookings_AfterBooking_ListsItAndBookingShowsItsDetails()
    {
        var id = IdOf(await BookAsync("unit2", "14:00", 15));

        var list = await server.RunAsAsync("unit2", "bookings");
        var one = await server.RunAsAsync("unit2", "booking", id);

        Assert.True(list.Exit == 0, list.ToString());
        Assert.Contains(id, list.Out, StringComparison.Ordinal);
        Assert.True(one.Exit == 0, one.ToString());
        Assert.Contains($"预约 booking: {id}", one.Out, StringComparison.Ordinal);
        Assert.Contains("人数 headcount: 15", one.Out, StringComparison.Ordinal);
        Assert.Contains("联系人 contact: 张三", one.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Booking_OtherUnitsBooking_ExitsOneNotFound()
    {
        var id = IdOf(await BookAsync("unit1", "14:00", 10));

        var run = await server.RunAsAsync("unit3", "booking", id);

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("No such booking", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resize_SmallerGroup_ShowsTheNewHeadcount()
    {
        var id = IdOf(await BookAsync("unit1", "15:00", 40));

        var run = await server.RunAsAsync("unit1", "resize", id, "35");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains("人数 headcount: 35", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancel_ConfirmedBooking_ShowsCancelledAndTheTicketIsRefused()
    {
        var id = IdOf(await BookAsync("unit1", "15:00", 12));

        var cancel = await server.RunAsAsync("unit1", "cancel", id);
        var ticket = await server.RunAsAsync("unit1", "ticket", id);

        Assert.True(cancel.Exit == 0, cancel.ToString());
        Assert.Contains("已取消 cancelled", cancel.Out, StringComparison.Ordinal);
        Assert.Equal(1, ticket.Exit);
        Assert.Contains("/problems/booking-cancelled", ticket.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reschedule_OtherOpenDay_ShowsTheNewDateAndSlot()
    {
        var id = IdOf(await BookAsync("unit3", "10:00", 18));
        var other = server.OtherDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        var run = await server.RunAsAsync("unit3", "reschedule", id, other, "13:00");

        Assert.True(run.Exit == 0, run.ToString());
        Assert.Contains($"日期 date: {other}  时段 slot: 13:00", run.Out, StringComparison.Ordinal);
    }

    private Task<CliRun> BookAsync(string user, string slot, int headcount, params string[] more) =>
        server.RunAsAsync(user, [
            "book", CliServer.Venue, Day, slot, headcount.ToString(CultureInfo.InvariantCulture),
            "--contact-name", "张三", "--contact-phone", "13800000000", .. more]);

    internal static string IdOf(CliRun run)
    {
        var match = BookingLine().Match(run.Out);
        Assert.True(match.Success, run.ToString());
        return match.Groups["id"].Value;
    }

    [GeneratedRegex(@"预约 booking: (?<id>\S+)")]
    private static partial Regex BookingLine();
}

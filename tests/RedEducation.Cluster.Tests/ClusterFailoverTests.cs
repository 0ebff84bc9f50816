using System.Collections.Concurrent;
using RedEducation.Testing;

namespace RedEducation.Cluster.Tests;

/// <summary>
/// quality.md, multi-silo: three silos over Redis clustering and PostgreSQL storage behind one front end; one silo is
/// killed with SIGKILL during a booking load. Requests succeed again after failover, and no confirmed booking is lost.
/// </summary>
[Collection(ClusterProcesses.Collection)]
public sealed class ClusterFailoverTests(ClusterFailoverFixture fixture) : IClassFixture<ClusterFailoverFixture>
{
    [Fact]
    public void Load_SiloKilledMidLoad_RequestsSucceedAgainAfterFailover()
    {
        var sent = fixture.SentRequests;
        var killedAt = fixture.KilledAt;
        var failed = sent.Where(s => s.Outcome == Outcome.Unavailable).ToList();
        var lastFailure = failed.Count > 0 ? failed.Max(s => s.At) : killedAt;
        // Requests sent after the kill fail only until the cluster has declared the silo dead; requests already on
        // their way to it hang until the front end's response timeout.
        var sentAfter = failed.Where(s => s.Started > killedAt).ToList();
        var newRequestsOutage = sentAfter.Count > 0 ? sentAfter.Max(s => s.At) - killedAt : TimeSpan.Zero;
        var answeredAfter = sent.Count(s => s.Started > lastFailure && s.Outcome is Outcome.Confirmed or Outcome.SlotFull);
        var byOutcome = fixture.Decisions.GroupBy(d => d.Outcome).ToDictionary(g => g.Key, g => g.Count());
        static string PerSecond(IEnumerable<Sent> requests, TimeSpan from) =>
            string.Join(" ", requests.GroupBy(s => (int)(s.At - from).TotalSeconds).OrderBy(g => g.Key).Select(g => $"{g.Key}s:{g.Count()}"));
        var summary = $"{sent.Count} requests for {fixture.Decisions.Count} bookings ({string.Join(", ", byOutcome.Select(p => $"{p.Key}: {p.Value}"))}); "
            + $"silo {ClusterFailoverFixture.Killed} killed at {killedAt.TotalSeconds:0.0} s with {fixture.InFlightAtKill} requests in flight; "
            + $"{failed.Count} requests failed (503 or connection), {failed.Count - sentAfter.Count} of them already in flight at the kill; "
            + $"the outage lasted {(lastFailure - killedAt).TotalSeconds:0.0} s (last failure), {newRequestsOutage.TotalSeconds:0.0} s for requests sent after the kill; "
            + $"{answeredAfter} requests sent after the last failure were answered; "
            + $"failures per second after the kill: {PerSecond(failed, killedAt)}; "
            + $"answers per second after the kill: {PerSecond(sent.Where(s => s.At > killedAt && s.Outcome != Outcome.Unavailable), killedAt)}";
        TestContext.Current.TestOutputHelper?.WriteLine(summary);

        Assert.True(fixture.InFlightAtKill > 0, $"nothing was in flight at the kill: {summary}");
        Assert.True(failed.Count > 0, $"no request failed when the silo was killed, so the test did not see a failover: {summary}");
        Assert.DoesNotContain(failed, s => s.At < killedAt);
        Assert.True(answeredAfter > 0, $"no request sent after the last failure was answered: {summary}");
        Assert.True(fixture.Decisions.Count(d => d.Outcome == Outcome.Confirmed && d.Reply is not null) > ClusterFailoverFixture.KillAfterConfirmed, $"nothing was confirmed after the kill: {summary}");
        var undecided = fixture.Decisions.Where(d => d.Outcome is Outcome.Unavailable or Outcome.Unexpected).Take(5).Select(d => $"{d.Request.Key}: {(int?)d.Reply?.Status} {d.Reply?.Text}");
        Assert.True(byOutcome.GetValueOrDefault(Outcome.Unavailable) + byOutcome.GetValueOrDefault(Outcome.Unexpected) == 0,
            $"bookings left undecided or answered unexpectedly: {string.Join(" | ", undecided)}; {summary}{Environment.NewLine}{fixture.ServerOutput}");
        Assert.True(byOutcome.GetValueOrDefault(Outcome.SlotFull) > 0, $"no slot filled up, so capacity was never at stake: {summary}");
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(128 + 9, fixture.KilledExitCode); // ended by SIGKILL, not by a shutdown
        }
    }

    [Fact]
    public async Task Load_AfterFailover_EveryConfirmedBookingIsPresentWithItsHeadcount()
    {
        var problems = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(fixture.Confirmed, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = TestContext.Current.CancellationToken }, async (decided, token) =>
        {
            var confirmed = decided.Reply!.Booking!;
            var now = await fixture.Api.GetBookingAsync(fixture.Tokens[decided.Request.Unit], confirmed.Id, token);
            if (now.Booking is not { } booking)
            {
                problems.Add($"{confirmed.Id}: confirmed, now {(int)now.Status} {now.Text}");
            }
            else if (booking.Status != "confirmed" || booking.Headcount != decided.Request.Headcount || booking.Slot != decided.Request.Slot
                     || booking.VenueId != decided.Request.VenueId || booking.Date != fixture.Date)
            {
                problems.Add($"{confirmed.Id}: confirmed for {decided.Request}, now {booking}");
            }
        });

        Assert.True(problems.IsEmpty, $"{problems.Count} of {fixture.Confirmed.Count()} confirmed bookings lost or changed:{Environment.NewLine}{string.Join(Environment.NewLine, problems.Take(20))}");
    }

    [Fact]
    public async Task Load_AfterFailover_NoSlotOverCapacityAndBookedIsTheConfirmedHeadcount()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var problems = new List<string>();
        var listed = new List<BookingReply>();
        foreach (var unit in ClusterFailoverFixture.Units)
        {
            listed.AddRange(await fixture.Api.ListBookingsAsync(fixture.Tokens[unit], unit, cancellationToken));
        }
        var held = listed.Where(b => b.Status == "confirmed" && b.Date == fixture.Date).ToList();
        // Retries carried the same Idempotency-Key: the units hold exactly the bookings the client saw confirmed, once each.
        var told = fixture.Confirmed.Select(d => d.Reply!.Booking!.Id).ToHashSet();
        problems.AddRange(held.Where(b => !told.Contains(b.Id)).Select(b => $"{b.Id} is confirmed but the client was never told so"));
        problems.AddRange(held.GroupBy(b => b.Id).Where(g => g.Count() > 1).Select(g => $"{g.Key} listed {g.Count()} times"));
        var perSlot = held.GroupBy(b => (b.VenueId, b.Slot)).ToDictionary(g => g.Key, g => g.Sum(b => b.Headcount));
        var toldPerSlot = fixture.Confirmed.GroupBy(d => (d.Request.VenueId, d.Request.Slot)).ToDictionary(g => g.Key, g => g.Sum(d => d.Request.Headcount));

        foreach (var venue in ClusterFailoverFixture.Venues)
        {
            var day = await fixture.Api.AvailabilityAsync(venue, fixture.Date, cancellationToken);
            foreach (var slot in day.Slots)
            {
                var confirmed = perSlot.GetValueOrDefault((venue, slot.Start));
                if (slot.Booked > slot.Capacity)
                {
                    problems.Add($"{venue} {slot.Start}: booked {slot.Booked} exceeds the capacity {slot.Capacity}");
                }
                if (slot.Booked != confirmed || confirmed != toldPerSlot.GetValueOrDefault((venue, slot.Start)))
                {
                    problems.Add($"{venue} {slot.Start}: booked {slot.Booked}, the units' confirmed bookings hold {confirmed}, "
                        + $"the client was told of {toldPerSlot.GetValueOrDefault((venue, slot.Start))}");
                }
            }
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems.Take(30)));
    }
}

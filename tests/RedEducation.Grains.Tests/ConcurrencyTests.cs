using RedEducation.Contracts;
using RedEducation.Domain.Booking;
using RedEducation.Domain.Venues;
using RedEducation.Testing;

namespace RedEducation.Grains.Tests;

/// <summary>Many clients book, resize and cancel on one venue-day at once; capacity must come out exact.</summary>
public sealed class ConcurrencyTests(ClusterFixture fixture)
{
    private const int Clients = 24;
    private static readonly TimeOnly[] Slots = [new(9, 0), new(10, 0), new(11, 0)];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task VenueDay_RandomConcurrentBookResizeCancel_NeverOverbooksNorLosesCapacity(int seed)
    {
        var ct = TestContext.Current.CancellationToken;
        var venue = await fixture.AddVenueAsync(TestVenues.Sample(slotCapacity: 60, groupMax: 25));
        var date = TestDates.NextOpen(venue, 2);
        var outcomes = new Outcomes();

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(() => RunClientAsync(venue.Id, date, seed * 1000 + client, outcomes, ct), ct)));

        var views = (await Task.WhenAll(outcomes.BookingIds.Select(id => fixture.Client.GetGrain<IBookingGrain>(id).GetAsync())))
            .OfType<BookingView>().ToList();
        var day = await fixture.Client.GetGrain<IVenueDayGrain>(VenueDayKey.Of(venue.Id, date)).GetAvailabilityAsync();
        var confirmed = views.Where(v => v.Status == BookingStatus.Confirmed).Select(v => (v.Slot, v.Headcount));
        var heads = views.Where(v => v.Status == BookingStatus.Waitlisted && v.WaitlistPosition == 1).ToDictionary(v => v.Slot, v => v.Headcount);

        Assert.Empty(CapacityInvariant.Violations(day, confirmed, heads));
        // The run must really have contended for places, or it proves nothing.
        Assert.True(outcomes.Full > 0, "no request was ever refused for lack of room");
        Assert.True(outcomes.Waitlisted > 0, "no group was ever waitlisted");
        Assert.Contains(day.Slots, s => s.Booked >= s.Capacity * 0.8);
    }

    [Fact]
    public async Task Control_DecisionSeparatedFromRecordingByAnAwait_OverbookingIsDetected()
    {
        var venue = TestVenues.Sample(slotCapacity: 60, groupMax: 25);
        var date = TestDates.NextOpen(venue, 2);
        var racy = fixture.Client.GetGrain<IRacyVenueDayGrain>(Guid.NewGuid().ToString());
        await racy.SetVenueAsync(venue);

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(async () =>
        {
            var random = new Random(client);
            for (var i = 0; i < 20; i++)
            {
                await racy.PlaceAsync(new PlacementRequest($"{client}-{i}", $"unit-{client}", Slots[random.Next(Slots.Length)], random.Next(1, 26), false));
            }
        }, TestContext.Current.CancellationToken)));

        var loads = await racy.LoadsAsync(date);
        var day = new DayAvailability(venue.Id, date, true, [.. loads.Select(l => new SlotAvailability(l.Slot.Start, l.Slot.End, l.Capacity, l.Booked, l.Remaining, l.Waitlisted))]);
        var violations = CapacityInvariant.Violations(day, await racy.ConfirmedAsync(), new Dictionary<TimeOnly, int>());

        Assert.Contains(violations, v => v.Contains("confirmed in a slot of", StringComparison.Ordinal));
    }

    private async Task RunClientAsync(string venueId, DateOnly date, int seed, Outcomes outcomes, CancellationToken ct)
    {
        var random = new Random(seed);
        var unit = $"unit-{seed % 7}";
        var mine = new List<string>();
        for (var op = 0; op < 40 && !ct.IsCancellationRequested; op++)
        {
            var roll = random.Next(100);
            if (roll < 50 || mine.Count == 0)
            {
                var id = BookingIds.From(unit, $"{seed}-{op}");
                outcomes.Add(id);
                var result = await fixture.Client.GetGrain<IUnitGrain>(unit).CreateBookingAsync(id, new NewBooking(
                    unit, venueId, date, Slots[random.Next(Slots.Length)], random.Next(1, 26), "联系人", "13800000000", random.Next(2) == 0));
                if (result.Booking is { } booking)
                {
                    mine.Add(id);
                    if (booking.Status == BookingStatus.Waitlisted)
                    {
                        Interlocked.Increment(ref outcomes.Waitlisted);
                    }
                }
                else if (result.Refusal == Refusal.SlotFull)
                {
                    Interlocked.Increment(ref outcomes.Full);
                }
            }
            else if (roll < 75)
            {
                var result = await fixture.Client.GetGrain<IBookingGrain>(mine[random.Next(mine.Count)]).ResizeAsync(random.Next(1, 26));
                if (result.Refusal == Refusal.SlotFull)
                {
                    Interlocked.Increment(ref outcomes.Full);
                }
            }
            else
            {
                var pick = random.Next(mine.Count);
                await fixture.Client.GetGrain<IBookingGrain>(mine[pick]).CancelAsync();
                mine.RemoveAt(pick);
            }
        }
    }

    private sealed class Outcomes
    {
        public int Full;
        public int Waitlisted;
        private readonly List<string> _ids = [];

        public IReadOnlyList<string> BookingIds
        {
            get
            {
                lock (_ids)
                {
                    return [.. _ids];
                }
            }
        }

        public void Add(string id)
        {
            lock (_ids)
            {
                _ids.Add(id);
            }
        }
    }
}

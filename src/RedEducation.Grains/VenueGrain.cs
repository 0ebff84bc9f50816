using Microsoft.Extensions.Logging;
using RedEducation.Contracts;
using RedEducation.Domain.Venues;

namespace RedEducation.Grains;

internal sealed class VenueState
{
    public VenueProfile? Profile { get; set; }
    public bool EditedByAdmin { get; set; }
}

/// <summary>
/// A venue's profile. The venue-days of the venue decide on copies of it rather than asking for every booking (a grain
/// call each way per booking cost about a tenth of the hot venue-day's throughput): each copy is watched for
/// <see cref="WatchLease"/>, and a change is passed to every watching venue-day before the change is acknowledged.
/// The venue stays active while a watch runs, since a new activation would not know whom to tell; when it goes all the
/// same (moved, or deactivated on request), it tells its watchers to ask again. When its silo stops or dies, copies that
/// it did not tell follow a change when their watch ends, at most 30 s later.
/// </summary>
internal sealed partial class VenueGrain(
    [PersistentState("venue", Stores.Main)] IPersistentState<VenueState> state, ILogger<VenueGrain> logger) : Grain, IVenueGrain
{
    /// <summary>How long a venue-day decides on its copy before asking again.</summary>
    internal static readonly TimeSpan WatchLease = TimeSpan.FromSeconds(30);

    /// <summary>Watching venue-days by key, with when (<see cref="Environment.TickCount64"/>) their watch ends here.</summary>
    private readonly Dictionary<string, long> _watchers = new(StringComparer.Ordinal);

    [ReadOnly]
    public Task<VenueProfile?> GetAsync() => Task.FromResult(state.State.Profile);

    [ReadOnly]
    public Task<VenueProfile?> WatchAsync(string venueDayKey)
    {
        // Kept a little past the venue-day's own lease, which starts when it sent the request.
        var kept = WatchLease + TimeSpan.FromSeconds(5);
        ForgetEndedWatches();
        _watchers[venueDayKey] = Environment.TickCount64 + (long)kept.TotalMilliseconds;
        DelayDeactivation(kept);
        return Task.FromResult(state.State.Profile);
    }

    public async Task SeedAsync(VenueProfile profile)
    {
        if (state.State.EditedByAdmin || Equals(Serialize(state.State.Profile), Serialize(profile)))
        {
            return;
        }
        state.State.Profile = profile;
        await state.WriteStateAsync();
        await TellWatchersAsync(profile);
    }

    public async Task UpdateAsync(VenueProfile profile)
    {
        state.State.Profile = profile;
        state.State.EditedByAdmin = true;
        await state.WriteStateAsync();
        await TellWatchersAsync(profile);
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (reason.ReasonCode == DeactivationReasonCode.ShuttingDown)
        {
            // The silo's own venue-days are going too, and placing them anew fails until it has stopped.
            return;
        }
        try
        {
            // Bounded: a silo that is shutting down must not wait long on venue-days that are going too.
            await TellWatchersAsync(null).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            LogNotTold(logger, e, "(every watcher)");
        }
    }

    private void ForgetEndedWatches()
    {
        var now = Environment.TickCount64;
        foreach (var ended in _watchers.Where(w => w.Value <= now).Select(w => w.Key).ToList())
        {
            _watchers.Remove(ended);
        }
    }

    /// <param name="profile">The new profile; null: this activation is going, ask again.</param>
    private async Task TellWatchersAsync(VenueProfile? profile)
    {
        ForgetEndedWatches();
        await Task.WhenAll(_watchers.Keys.ToList().Select(async key =>
        {
            try
            {
                await GrainFactory.GetGrain<IVenueDayGrain>(key).VenueChangedAsync(profile);
            }
#pragma warning disable CA1031 // The change is stored; a venue-day that was not told follows it when its watch ends.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogNotTold(logger, e, key);
            }
        }));
    }

    // Records holding lists compare by reference; the JSON text compares by value.
    private static string Serialize(VenueProfile? profile) => System.Text.Json.JsonSerializer.Serialize(profile);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Venue-day {VenueDay} was not told of its venue's change; it follows it when its watch ends")]
    private static partial void LogNotTold(ILogger logger, Exception exception, string venueDay);
}

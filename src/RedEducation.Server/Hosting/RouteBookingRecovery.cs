using RedEducation.Contracts;

namespace RedEducation.Server.Hosting;

/// <summary>At start-up, undoes route bookings that a crash or restart left part-way, so no half-booked route survives.</summary>
internal sealed partial class RouteBookingRecovery(IGrainFactory grains, ILogger<RouteBookingRecovery> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var inFlight = await grains.GetGrain<ICatalogGrain>(Catalogs.RouteBookingsInFlight).ListAsync();
        foreach (var id in inFlight)
        {
            await grains.GetGrain<IRouteBookingGrain>(id).RecoverAsync();
        }
        if (inFlight.Count > 0)
        {
            LogRecovered(logger, inFlight.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Undid {Count} route bookings interrupted by the last shutdown")]
    private static partial void LogRecovered(ILogger logger, int count);
}

using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace RedEducation.Server.Api;

/// <summary>The "RedEducation:Limits" configuration section: request rates and the proxies trusted to name the client.</summary>
public sealed class LimitOptions : IValidatableObject
{
    public const string Section = "RedEducation:Limits";

    /// <summary>Sign-in attempts a minute from one client address: a guesser gains by speed, a person needs a few.</summary>
    [Range(1, 1_000_000)]
    public int SignInPerMinute { get; set; } = 30;

    /// <summary>Booking changes (create, resize, cancel, reschedule, route booking) a minute per account.</summary>
    [Range(1, 1_000_000)]
    public int BookingChangesPerMinute { get; set; } = 60;

    /// <summary>Route computations (plan, shortest path) a minute per account; a plan costs milliseconds of CPU each.</summary>
    [Range(1, 1_000_000)]
    public int RoutePlansPerMinute { get; set; } = 30;

    /// <summary>
    /// Addresses of reverse proxies whose X-Forwarded-For is believed. Empty (the default): the header is ignored and the
    /// client is the connection's peer, so nobody can dodge the sign-in limit by writing the header themselves.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>Networks (CIDR, e.g. 10.0.0.0/8) of trusted reverse proxies, as <see cref="TrustedProxies"/>.</summary>
    public List<string> TrustedNetworks { get; set; } = [];

    public bool TrustsProxies => TrustedProxies.Count > 0 || TrustedNetworks.Count > 0;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var proxy in TrustedProxies.Where(p => !IPAddress.TryParse(p, out _)))
        {
            yield return new ValidationResult($"{Section}:TrustedProxies: '{proxy}' is not an IP address", [nameof(TrustedProxies)]);
        }
        foreach (var network in TrustedNetworks.Where(n => !System.Net.IPNetwork.TryParse(n, out _)))
        {
            yield return new ValidationResult($"{Section}:TrustedNetworks: '{network}' is not a network in CIDR notation", [nameof(TrustedNetworks)]);
        }
    }
}

/// <summary>Rate limits, request size limits and forwarded-header handling of the HTTP API.</summary>
public static class RequestLimits
{
    public const string SignIn = "sign-in";
    public const string BookingChanges = "booking-changes";
    public const string RoutePlans = "route-plans";

    /// <summary>Any JSON body of the API: the largest, a venue's rules with its dated exceptions, is a few kilobytes.</summary>
    public const long JsonBodyBytes = 64 << 10;

    /// <summary>Batches: an offline desk's 1,000 queued scans, a route booking that sends its plan (with geometry) back.</summary>
    public const long BatchBodyBytes = 1 << 20;

    /// <summary>A phone photo of a ticket.</summary>
    public const long ImageBodyBytes = 10 << 20;

    /// <summary>Without a Retry-After from the limiter, the time one refill takes.</summary>
    private static readonly TimeSpan Refill = TimeSpan.FromSeconds(10);

    public static void AddRequestLimits(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LimitOptions>().Bind(builder.Configuration.GetSection(LimitOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<LimitOptions>>((o, limits) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            // The framework trusts loopback by default; only what is configured is trusted here.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in limits.Value.TrustedProxies)
            {
                o.KnownProxies.Add(IPAddress.Parse(proxy));
            }
            foreach (var network in limits.Value.TrustedNetworks)
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
            o.AddPolicy(SignIn, context => Bucket($"ip:{context.Connection.RemoteIpAddress}", Limits(context).SignInPerMinute));
            o.AddPolicy(BookingChanges, context => Bucket(Account(context), Limits(context).BookingChangesPerMinute));
            o.AddPolicy(RoutePlans, context => Bucket(Account(context), Limits(context).RoutePlansPerMinute));
        });
    }

    /// <summary>Believes X-Forwarded-For only from configured proxies; with none configured the header is never read.</summary>
    public static void UseTrustedForwardedHeaders(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<LimitOptions>>().Value.TrustsProxies)
        {
            app.UseForwardedHeaders();
        }
    }

    /// <summary>Caps the bodies of every endpoint of <paramref name="group"/>; an endpoint's own cap, set after, wins.</summary>
    public static RouteGroupBuilder WithBodyLimit(this RouteGroupBuilder group, long bytes) => group.WithMetadata(new RequestSizeLimitAttribute(bytes));

    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder endpoint, long bytes)
        where TBuilder : IEndpointConventionBuilder => endpoint.WithMetadata(new RequestSizeLimitAttribute(bytes));

    private static LimitOptions Limits(HttpContext context) => context.RequestServices.GetRequiredService<IOptions<LimitOptions>>().Value;

    /// <summary>Per account: these routes require a signed-in user, so the account, not the address, is who is limited.</summary>
    private static string Account(HttpContext context) =>
        context.User.FindFirstValue("sub") is { } username ? $"account:{username}" : $"ip:{context.Connection.RemoteIpAddress}";

    /// <summary>A bucket of a minute's allowance, refilled a sixth every ten seconds: bursts up to the limit, that rate after.</summary>
    private static RateLimitPartition<string> Bucket(string key, int perMinute) => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
    {
        TokenLimit = perMinute,
        TokensPerPeriod = Math.Max(1, perMinute / 6),
        ReplenishmentPeriod = Refill,
        QueueLimit = 0,
        AutoReplenishment = true,
    });

    private static async ValueTask RejectAsync(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var after = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : Refill;
        var seconds = Math.Max(1, (int)Math.Ceiling(after.TotalSeconds));
        context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        await Problems.Result("too-many-requests", $"try again in {seconds} s").ExecuteAsync(context.HttpContext);
    }
}

using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using RedEducation.Contracts;
using RedEducation.Server.Auth;
using RedEducation.Server.Routes;
using RedEducation.Server.Tickets;
using Scalar.AspNetCore;

namespace RedEducation.Server.Api;

public static class ApiSetup
{
    public const string UnitOrAdmin = "unit-or-admin";
    public const string AdminOnly = "admin";
    public const string StaffOrAdmin = "staff-or-admin";
    public const string PlannerOrAdmin = "planner-or-admin";
    public const string RouteReaders = "route-readers";

    public static void AddRedEducationApi(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1 << 20);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddOpenApi();
        services.AddHealthChecks().AddCheck<SiloReadyCheck>("silo", tags: ["ready"]);

        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TicketKeyStore>();
        services.AddSingleton<TicketService>();
        services.AddSingleton<RoadNetwork>();
        services.AddOptions<TicketOptions>().Bind(builder.Configuration.GetSection(TicketOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenIssuer, TimeProvider>((o, issuer, clock) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = issuer.ValidationParameters;
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new RememberingTokenHandler(clock));
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(UnitOrAdmin, p => p.RequireRole(Roles.Unit, Roles.Admin))
            .AddPolicy(AdminOnly, p => p.RequireRole(Roles.Admin))
            .AddPolicy(StaffOrAdmin, p => p.RequireRole(Roles.Staff, Roles.Admin))
            .AddPolicy(PlannerOrAdmin, p => p.RequireRole(Roles.Planner, Roles.Admin))
            .AddPolicy(RouteReaders, p => p.RequireRole(Roles.Planner, Roles.Admin, Roles.Unit));

        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Sign-in is the one place a guesser gains by speed: a few attempts a minute per client address.
            o.AddPolicy("sign-in", context => RateLimitPartition.GetSlidingWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new SlidingWindowRateLimiterOptions { PermitLimit = 30, Window = TimeSpan.FromMinutes(1), SegmentsPerWindow = 6 }));
        });
    }

    public static void MapRedEducationApi(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        app.MapOpenApi();
        app.MapScalarApiReference("/docs");
        app.MapHealthChecks("/health/live", new() { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new() { Predicate = c => c.Tags.Contains("ready") });
        app.MapGet("/problems/{name}", (string name) => Problems.Catalog.TryGetValue(name, out var p)
            ? Results.Text($"{name}: {p.Title} (HTTP {p.Status})")
            : Problems.Result("not-found"))
            .ExcludeFromDescription();

        var api = app.MapGroup("/api");
        api.MapAuth();
        api.MapVenues();
        api.MapBookings();
        api.MapTickets();
        api.MapCheckIns();
        api.MapRoutes();
    }

    private sealed class SiloReadyCheck(IGrainFactory grains) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var venues = await grains.GetGrain<ICatalogGrain>(Catalogs.Venues).ListAsync();
            return venues.Count > 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("venues not seeded yet");
        }
    }
}

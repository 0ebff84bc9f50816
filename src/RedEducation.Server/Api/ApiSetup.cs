using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RedEducation.Contracts;
using RedEducation.Server.Audit;
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
        // The ceiling for requests no endpoint claims; each API endpoint sets its own (RequestLimits), JSON far less.
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 1 << 20);
        services.ConfigureHttpJsonOptions(o => ApiJson.Configure(o.SerializerOptions));
        services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        services.AddOpenApi();

        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<TicketKeyStore>();
        services.AddSingleton<TicketService>();
        services.AddSingleton<RoadNetwork>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<AccountMemory>();
        services.AddOptions<TicketOptions>().Bind(builder.Configuration.GetSection(TicketOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<TokenIssuer, TimeProvider>((o, issuer, clock) =>
            {
                o.MapInboundClaims = false;
                o.TokenValidationParameters = issuer.ValidationParameters;
                o.Events = new JwtBearerEvents { OnTokenValidated = AccountCheck.OnTokenValidatedAsync };
                o.TokenHandlers.Clear();
                o.TokenHandlers.Add(new RememberingTokenHandler(clock));
            });
        services.AddAuthorizationBuilder()
            .AddPolicy(UnitOrAdmin, p => p.RequireRole(Roles.Unit, Roles.Admin))
            .AddPolicy(AdminOnly, p => p.RequireRole(Roles.Admin))
            .AddPolicy(StaffOrAdmin, p => p.RequireRole(Roles.Staff, Roles.Admin))
            .AddPolicy(PlannerOrAdmin, p => p.RequireRole(Roles.Planner, Roles.Admin))
            .AddPolicy(RouteReaders, p => p.RequireRole(Roles.Planner, Roles.Admin, Roles.Unit));

        builder.AddRequestLimits();
    }

    public static void MapRedEducationApi(this WebApplication app)
    {
        app.UseTrustedForwardedHeaders();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();

        // Only the one document: a pattern with {documentName} answers unknown names with a plain-text 404.
        app.MapOpenApi("/openapi/v1.json");
        app.MapScalarApiReference("/docs");
        app.MapGet("/problems/{name}", (string name) => Problems.Catalog.TryGetValue(name, out var p)
            ? Results.Text($"{name}: {p.Title} (HTTP {p.Status})")
            : Problems.Result("not-found"))
            .ExcludeFromDescription();

        var api = app.MapGroup("/api").WithBodyLimit(RequestLimits.JsonBodyBytes);
        api.MapAuth();
        api.MapVenues();
        api.MapBookings();
        api.MapTickets();
        api.MapCheckIns();
        api.MapRoutes();
        api.MapAccounts();
        api.MapAudit();
    }
}

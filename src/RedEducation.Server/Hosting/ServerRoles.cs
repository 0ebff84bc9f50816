using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using RedEducation.Contracts;
using RedEducation.Server.Api;
using RedEducation.Server.Web;

namespace RedEducation.Server.Hosting;

/// <summary>The role switch: what one process of the server hosts, by <see cref="RedEducationOptions.Role"/>.</summary>
public static class ServerRoles
{
    public static void AddRedEducation(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(RedEducationOptions.Section);
        builder.Services.AddOptions<RedEducationOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();
        var options = section.Get<RedEducationOptions>() ?? new RedEducationOptions();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddKeyedSingleton(BusinessClock.Key, TimeProvider.System);
        builder.Services.AddSingleton<IPasswordHasher<Account>, PasswordHasher<Account>>();
        builder.Services.AddRedEducationHealth();
        if (options.Role == ServerRole.FrontEnd)
        {
            builder.AddRedEducationClient(options);
        }
        else
        {
            builder.AddRedEducationSilo(options);
        }
        if (options.Role == ServerRole.Silo)
        {
            builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = Problems.Customize);
        }
        else
        {
            builder.Services.AddSingleton<IValidateOptions<RedEducationOptions>, KeyDirectoryValidation>();
            builder.AddRedEducationApi();
        }
    }

    public static void MapRedEducation(this WebApplication app)
    {
        app.MapRedEducationHealth();
        if (RoleOf(app.Configuration) == ServerRole.Silo)
        {
            // Everything but health is a 404 problem here: the API is served by the front ends.
            app.UseStatusCodePages();
        }
        else
        {
            app.MapRedEducationWeb();
            app.MapRedEducationApi();
        }
    }

    private static ServerRole RoleOf(IConfiguration configuration) =>
        configuration.GetSection(RedEducationOptions.Section).Get<RedEducationOptions>()?.Role ?? ServerRole.Combined;
}

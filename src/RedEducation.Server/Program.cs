using RedEducation.Server.Hosting;
using RedEducation.Server.Routes;

if (ImportCommand.Matches(args))
{
    return ImportCommand.Run(args, Console.Out);
}
if (GenerateKeysCommand.Matches(args))
{
    return GenerateKeysCommand.Run(args, Console.Out);
}

// Content from beside the binary (appsettings.json, geodata), whatever the working directory; data goes where configured.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.AddRedEducation();   // silo, HTTP API, or both: RedEducation:Role (Hosting/ServerRoles.cs)

var app = builder.Build();
app.MapRedEducation();
app.Run();
return 0;

/// <summary>The server's entry point; public so that tests can host the real pipeline.</summary>
public partial class Program;

using RedEducation.Server.Api;
using RedEducation.Server.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddRedEducationSilo();
builder.AddRedEducationApi();

var app = builder.Build();
app.MapRedEducationApi();
app.Run();

/// <summary>The server's entry point; public so that tests can host the real pipeline.</summary>
public partial class Program;

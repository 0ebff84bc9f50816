using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using RedEducation.Testing;

namespace RedEducation.Cli.Tests;

/// <summary>
/// Answers the real server never gives on purpose (a 5xx, a rate limit), from a stand-in HTTP server, to show what
/// <c>redu</c> tells its user and which exit code a script gets.
/// </summary>
public sealed class ServerFaultTests
{
    [Fact]
    public async Task AnyCommand_ServerAnswers503_ExitsFourWithTheProblemTitle()
    {
        await using var stub = await StubAsync(context =>
        {
            context.Response.StatusCode = 503;
            context.Response.ContentType = "application/problem+json";
            return context.Response.WriteAsync("""{"type":"/problems/unavailable","title":"The service is busy; try again / 服务暂时不可用","status":503}""");
        });

        var run = await RunAsync(stub, "venues");

        Assert.True(run.Exit == 4, run.ToString());
        Assert.Contains("错误 error 503: The service is busy", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task AnyCommand_RateLimited_ExitsOneAndSaysWhenToTryAgain()
    {
        await using var stub = await StubAsync(context =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers.RetryAfter = "7";
            context.Response.ContentType = "application/problem+json";
            return context.Response.WriteAsync("""{"type":"/problems/too-many-requests","title":"Too many requests; try again shortly / 请求过于频繁","status":429}""");
        });

        var run = await RunAsync(stub, "availability", CliServer.Venue, "2030-01-02");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains("try again in 7 s", run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnyCommand_ServerAnswersHtml_ExitsFourWithTheStatusAndNoStackTrace()
    {
        await using var stub = await StubAsync(context =>
        {
            context.Response.StatusCode = 502;
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html><body>Bad Gateway</body></html>");
        });

        var run = await RunAsync(stub, "venues", "--json");

        Assert.True(run.Exit == 4, run.ToString());
        Assert.Contains("502", run.Err, StringComparison.Ordinal);
        Assert.Equal("", run.Out);
    }

    [Fact]
    public async Task AnyCommand_SomethingElseAnswers200WithAPage_ExitsFourSayingItIsNotTheApi()
    {
        await using var stub = await StubAsync(context =>
        {
            context.Response.ContentType = "text/html";
            return context.Response.WriteAsync("<html><body>Welcome to nginx!</body></html>");
        });

        var run = await RunAsync(stub, "venues");

        Assert.True(run.Exit == 4, run.ToString());
        Assert.Contains("is not RedEducation's API", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Err, StringComparison.Ordinal);
    }

    private static async Task<CliRun> RunAsync(WebApplication stub, params string[] args)
    {
        using var config = new TempDirectory();
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = await Cli.RunAsync([.. args, "--server", stub.Urls.Single(), "--config-dir", config.Path], output, error, TestContext.Current.CancellationToken);
        return new CliRun(exit, output.ToString(), error.ToString());
    }

    private static async Task<WebApplication> StubAsync(RequestDelegate answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Ports.Free()}");
        var app = builder.Build();
        app.Run(answer);
        await app.StartAsync(TestContext.Current.CancellationToken);
        return app;
    }
}

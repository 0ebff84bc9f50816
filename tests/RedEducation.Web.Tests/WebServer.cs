using RedEducation.Testing;

[assembly: AssemblyFixture(typeof(RedEducation.Web.Tests.WebServer))]
// Every test drives the same server and its business clock, and Chromium wants the machine's two cores: one at a time.
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]

namespace RedEducation.Web.Tests;

/// <summary>
/// The real server (Kestrel on a loopback port, the co-hosted silo, SQLite) with a settable business clock, and Debian's
/// Chromium driven by Playwright. Screenshots go to docs/screenshots/ in the repository, where the README links them.
/// </summary>
public sealed class WebServer : IAsyncLifetime
{
    /// <summary>Debian's Chromium; scripts/install-test-deps.sh installs it. Playwright's own browser downloads are not used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    public TestClock Clock { get; } = new(DateTimeOffset.UtcNow);

    public RedEducationServer Server { get; private set; } = null!;

    public Uri BaseAddress => Server.BaseAddress;

    public static string ScreenshotDirectory { get; } = Path.Combine(RepositoryRoot(), "docs", "screenshots");

    public async ValueTask InitializeAsync()
    {
        // Every test signs in through the page, about forty sign-ins from 127.0.0.1 in two minutes: over the default 30 a
        // minute per address. RateLimitTests in Server.Tests prove the limit itself.
        Server = new RedEducationServer(new Dictionary<string, string> { ["RedEducation:Limits:SignInPerMinute"] = "1000000" }) { Clock = Clock };
        await Server.InitializeAsync();
        _playwright = await Playwright.CreateAsync();
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    public async ValueTask DisposeAsync()
    {
        _playwright?.Dispose();
        await Server.DisposeAsync();
    }

    /// <summary>
    /// A new headless Chromium. extraArguments add switches such as a fake camera fed from a video file. The flags keep
    /// Chromium from calling out to Google's services, which this machine cannot reach.
    /// </summary>
    public Task<IBrowser> LaunchAsync(params string[] extraArguments) => _playwright!.Chromium.LaunchAsync(new()
    {
        ExecutablePath = ChromiumPath,
        Headless = true,
        Args =
        [
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", .. extraArguments,
        ],
    });

    /// <summary>A browser page on this server in the given language (zh-CN or en), at a desktop size.</summary>
    public async Task<IPage> NewPageAsync(IBrowser browser, string language = "zh-CN", BrowserNewContextOptions? options = null)
    {
        options ??= new BrowserNewContextOptions();
        options.BaseURL = BaseAddress.ToString();
        options.Locale = language;
        options.TimezoneId = "Asia/Shanghai";
        options.ViewportSize ??= new ViewportSize { Width = 1280, Height = 860 };
        var context = await browser.NewContextAsync(options);
        await context.AddInitScriptAsync($"localStorage.setItem('redu.lang', '{language}')");
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        return page;
    }

    /// <summary>Signs in through the sign-in page, as a person would, and waits for the landing page.</summary>
    public static async Task SignInAsync(IPage page, string username, string landing)
    {
        await page.GotoAsync("/");
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync(RedEducationServer.Password);
        await page.Locator("#signin-form button[type=submit]").ClickAsync();
        try
        {
            // Until the landing page's navigation is committed, not until its "load" event: on a busy machine loading
            // every script and stylesheet can take longer than the wait, and the tests' own checks wait for what they need.
            await page.WaitForURLAsync($"**{landing}", new() { WaitUntil = WaitUntilState.Commit });
        }
        catch (TimeoutException) when (new Uri(page.Url).AbsolutePath.EndsWith(landing, StringComparison.Ordinal))
        {
            // Landed all the same: on a loaded machine the wait once gave up with the page already there.
        }
        catch (TimeoutException)
        {
            // Say what the person would have seen instead of the landing page (a refusal, a rate limit).
            var shown = await page.Locator("#signin-error").IsVisibleAsync() ? await page.Locator("#signin-error").TextContentAsync() : "(no error shown)";
            throw new TimeoutException($"signing in as {username} did not reach {landing}; the page is at {page.Url} and shows: {shown}");
        }
    }

    /// <summary>Saves a full-page screenshot as docs/screenshots/{name}.png.</summary>
    public static Task ScreenshotAsync(IPage page, string name) =>
        page.ScreenshotAsync(new() { Path = Path.Combine(ScreenshotDirectory, $"{name}.png"), FullPage = true });

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RedEducation.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no RedEducation.sln above {AppContext.BaseDirectory}");
    }
}

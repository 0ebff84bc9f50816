namespace RedEducation.Web.Tests;

public sealed class SignInPageTests(WebServer web)
{
    [Theory]
    [InlineData("zh-CN", "登录", "用户名")]
    [InlineData("en", "Sign in", "User name")]
    public async Task SignInPage_InEachLanguage_ShowsItsLabels(string language, string button, string username)
    {
        await using var browser = await web.LaunchAsync();
        var page = await web.NewPageAsync(browser, language);

        await page.GotoAsync("/");

        Assert.Equal(button, (await page.Locator("#signin-form button[type=submit]").InnerTextAsync()).Trim());
        Assert.Contains(username, await page.Locator("label").First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(language, await page.EvaluateAsync<string>("document.documentElement.lang"));
        await WebServer.ScreenshotAsync(page, $"signin-{language}");
    }

    [Fact]
    public async Task SignIn_WrongPassword_ShowsTheReasonAndStaysOnThePage()
    {
        await using var browser = await web.LaunchAsync();
        var page = await web.NewPageAsync(browser, "zh-CN");
        await page.GotoAsync("/");

        await page.Locator("#username").FillAsync("unit1");
        await page.Locator("#password").FillAsync("not-the-password");
        await page.Locator("#signin-form button[type=submit]").ClickAsync();

        await Assertions.Expect(page.Locator("#signin-error")).ToHaveTextAsync("用户名或密码不正确");
        Assert.EndsWith("/", page.Url, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unit1", "/unit/")]
    [InlineData("staff-liaoshen-memorial", "/staff/")]
    [InlineData("planner", "/planner/")]
    [InlineData("admin", "/admin/")]
    public async Task SignIn_EachRole_LandsOnItsOwnPage(string username, string landing)
    {
        await using var browser = await web.LaunchAsync();
        var page = await web.NewPageAsync(browser, "zh-CN");

        await WebServer.SignInAsync(page, username, landing);

        await Assertions.Expect(page.Locator("header.top .brand")).ToHaveTextAsync("红色教育 · 研学预约");
        Assert.EndsWith(landing, new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnitPage_WithoutSigningIn_SendsToSignIn()
    {
        await using var browser = await web.LaunchAsync();
        var page = await web.NewPageAsync(browser, "en");

        await page.GotoAsync("/unit/");

        await page.WaitForURLAsync("**/?next=*", new() { WaitUntil = WaitUntilState.Commit });
        await Assertions.Expect(page.Locator("#signin-form")).ToBeVisibleAsync();
    }
}

using System.Net;
using Mining.Silo.Tests.Api;
using OpenQA.Selenium;

namespace Mining.Silo.Tests.Dashboard;

/// <summary>The Mining page in headless Chromium follows a job as it runs and finishes.</summary>
[Collection(ApiCollection.Name)]
public sealed class MiningPageBrowserTests(ApiFixture fixture)
{
    [Fact]
    public async Task The_mining_page_shows_a_running_job_advance_and_finish()
    {
        var images = fixture.NewImageFolder(["brick.png", "camera.png", "chelsea.png", "coffee.png"], corrupt: "corrupt.png");
        fixture.Gate.Hold("browser");
        try
        {
            using var submitted = await fixture.SubmitAsync(fixture.Spec("browser", images, "browser-book"));
            Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
            using var chromium = HeadlessChromium.Start();
            var page = chromium.Driver;

            page.Navigate().GoToUrl(new Uri(fixture.BaseAddress, "/mining/"));
            await UntilAsync(() => page.FindElement(By.Id("sign-in")).Displayed, "the sign-in form");
            page.FindElement(By.Id("api-key")).SendKeys(fixture.Key);
            page.FindElement(By.Id("sign-in-button")).Click();

            // The gate holds every image: the page shows the job running with nothing done.
            await UntilAsync(() => Job(page) is { } job && job.GetDomAttribute("data-job") == "browser", "the job on the page");
            Assert.Equal("Running", Job(page)!.GetDomAttribute("data-state"));
            Assert.Equal("0", Job(page)!.GetDomAttribute("data-done"));
            Assert.Equal("5", Job(page)!.GetDomAttribute("data-images"));
            Assert.Equal(5, page.FindElements(By.CssSelector("#shards-table tbody tr")).Count);

            fixture.Gate.Release("browser", 2);
            await UntilAsync(() => Done(page) == 2, "two images done on the page");
            Assert.Equal("Running", Job(page)!.GetDomAttribute("data-state"));
            Assert.Equal(2, page.FindElements(By.CssSelector("#shards-table tbody tr")).Sum(row => int.Parse(row.GetDomAttribute("data-done")!, System.Globalization.CultureInfo.InvariantCulture)));
            Assert.Contains("browser", page.FindElement(By.Id("jobs-table")).Text, StringComparison.Ordinal);
            chromium.Screenshot("mining-page-running");

            fixture.Gate.Open("browser");
            await UntilAsync(() => Job(page)?.GetDomAttribute("data-state") == "Completed", "the job completed on the page");
            Assert.Equal(5, Done(page));
            await UntilAsync(() => page.FindElements(By.CssSelector("a.download[data-codebook='browser-book'][data-version='1']")).Count == 1, "the codebook version's download link");
            var link = page.FindElement(By.CssSelector("a.download[data-codebook='browser-book'][data-version='1']"));
            Assert.Equal("/codebooks/browser-book/versions/1", new Uri(link.GetDomProperty("href")!).AbsolutePath);
            Assert.Single(page.FindElements(By.CssSelector("#failures-table tbody tr[data-image='corrupt']")));
            var prototypes = page.FindElement(By.CssSelector(".codebook[data-codebook='browser-book'] tr[data-version='1'] td.number")).Text;
            Assert.True(int.Parse(prototypes, System.Globalization.CultureInfo.InvariantCulture) > 0);
            chromium.Screenshot("mining-page-completed");
        }
        finally
        {
            fixture.Gate.Open("browser");
        }
    }

    [Fact]
    public async Task Opening_the_orleans_dashboard_asks_for_the_key_and_then_shows_the_dashboard()
    {
        using var chromium = HeadlessChromium.Start();
        var page = chromium.Driver;

        page.Navigate().GoToUrl(new Uri(fixture.BaseAddress, "/dashboard/"));
        await UntilAsync(() => page.FindElement(By.Id("sign-in")).Displayed, "the sign-in form");
        Assert.Equal("/mining/", new Uri(page.Url).AbsolutePath);
        page.FindElement(By.Id("api-key")).SendKeys(fixture.SecondKey);
        page.FindElement(By.Id("sign-in-button")).Click();

        await UntilAsync(() => new Uri(page.Url).AbsolutePath == "/dashboard/" && page.Title == "Orleans Dashboard", "the Orleans dashboard");
        // The dashboard's script reads its API with the sign-in cookie; a rendered silo count shows it got through.
        await UntilAsync(() => page.FindElement(By.TagName("body")).Text.Contains("silo", StringComparison.OrdinalIgnoreCase), "the dashboard's data");
        chromium.Screenshot("orleans-dashboard");
    }

    [Theory]
    [InlineData("/%09/evil.example/")]
    [InlineData("//evil.example/")]
    [InlineData("/%5C/evil.example/")]
    public async Task A_return_address_that_resolves_to_another_origin_is_ignored_after_sign_in(string back)
    {
        using var chromium = HeadlessChromium.Start();
        var page = chromium.Driver;

        page.Navigate().GoToUrl(new Uri(fixture.BaseAddress, "/mining/?return=" + back));
        await UntilAsync(() => page.FindElement(By.Id("sign-in")).Displayed, "the sign-in form");
        page.FindElement(By.Id("api-key")).SendKeys(fixture.SecondKey);
        page.FindElement(By.Id("sign-in-button")).Click();

        await UntilAsync(() => page.FindElement(By.Id("content")).Displayed, "the signed-in page");
        var url = new Uri(page.Url);
        Assert.Equal((fixture.BaseAddress.Host, fixture.BaseAddress.Port, "/mining/"), (url.Host, url.Port, url.AbsolutePath));
    }

    [Fact]
    public async Task Signing_out_on_the_page_refuses_a_copy_of_its_cookie()
    {
        using var chromium = HeadlessChromium.Start();
        var page = chromium.Driver;
        page.Navigate().GoToUrl(new Uri(fixture.BaseAddress, "/mining/"));
        await UntilAsync(() => page.FindElement(By.Id("sign-in")).Displayed, "the sign-in form");
        page.FindElement(By.Id("api-key")).SendKeys(fixture.SecondKey);
        page.FindElement(By.Id("sign-in-button")).Click();
        await UntilAsync(() => page.FindElement(By.Id("sign-out")).Displayed, "the signed-in page");
        var cookie = page.Manage().Cookies.GetCookieNamed(Mining.Silo.Security.DashboardSessions.CookieName);
        Assert.NotNull(cookie);
        using var copy = CopiedCookie.Client(fixture.BaseAddress, cookie.Value);
        using (var before = await copy.GetAsync("/jobs", TestContext.Current.CancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        }

        page.FindElement(By.Id("sign-out")).Click();
        await UntilAsync(() => page.FindElement(By.Id("sign-in")).Displayed, "the sign-in form after signing out");

        using var after = await copy.GetAsync("/jobs", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Null(page.Manage().Cookies.GetCookieNamed(Mining.Silo.Security.DashboardSessions.CookieName));
    }

    private static IWebElement? Job(IWebDriver page) => page.FindElements(By.CssSelector("#job[data-job]")).FirstOrDefault();

    private static int Done(IWebDriver page) =>
        int.TryParse(Job(page)?.GetDomAttribute("data-done"), System.Globalization.CultureInfo.InvariantCulture, out var done) ? done : -1;

    private static Task UntilAsync(Func<bool> condition, string what) =>
        ApiFixture.WaitForAsync(
            () =>
            {
                try
                {
                    return Task.FromResult(condition());
                }
                catch (StaleElementReferenceException)
                {
                    // The page redrew the element between finding and reading it; look again.
                    return Task.FromResult(false);
                }
            },
            what);
}

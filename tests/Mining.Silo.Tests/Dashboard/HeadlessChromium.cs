using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;

namespace Mining.Silo.Tests.Dashboard;

/// <summary>
/// Debian's Chromium, headless with a fresh profile and no background traffic, driven through Debian's ChromeDriver
/// (both from infra/install-test-deps.sh). Selenium is given both paths, so it never looks for or downloads either.
/// </summary>
internal sealed class HeadlessChromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly string profile;

    private HeadlessChromium(ChromeDriver driver, string profile)
    {
        Driver = driver;
        this.profile = profile;
    }

    public ChromeDriver Driver { get; }

    /// <summary>Starts the browser; fails the test with what to run when Chromium or its driver is missing.</summary>
    public static HeadlessChromium Start()
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
        {
            Assert.Fail($"Chromium is not installed ({BrowserPath} and {DriverPath} are needed): run infra/install-test-deps.sh, which installs Debian's chromium and chromium-driver.");
        }

        var profile = Path.Combine(Path.GetTempPath(), "mining-tests", "chromium-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(profile);
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-default-apps",
            "--disable-dev-shm-usage",
            "--disable-extensions",
            "--disable-sync",
            "--no-default-browser-check",
            "--no-first-run",
            "--window-size=1280,1400",
            $"--user-data-dir={profile}");
        return new HeadlessChromium(new ChromeDriver(service, options, TimeSpan.FromSeconds(60)), profile);
    }

    /// <summary>Saves a screenshot of the page as a PNG under the test output's artifacts folder and returns its path.</summary>
    public string Screenshot(string name)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "artifacts", "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        var shot = ((ITakesScreenshot)Driver).GetScreenshot();
        shot.SaveAsFile(path);
        TestContext.Current.AddAttachment(name + ".png", shot.AsByteArray, "image/png");
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile for a moment; the scratch folder is cleared before each run.
        }
    }
}

using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Mining.Grains.Execution;
using Mining.Grains.Hosting;
using Mining.Grains.Placement;
using Mining.Silo.Api;
using Mining.Silo.Dashboard;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Mining.Silo.Security;

namespace Mining.Silo.Tests.Api;

/// <summary>
/// A gateway as the host would build it, in this process: a web application on 127.0.0.1 (a free port) whose
/// Orleans silo runs the mining grains (memory storage, also a worker) and which serves <c>MapMiningApi</c>.
/// Two allowed roots (<see cref="Data"/>, <see cref="Models"/>) and a folder <see cref="Outside"/> them; the
/// fixture model; an <see cref="ImageGate"/> to hold a job mid-way; every log line captured.
/// </summary>
public sealed class ApiFixture : IAsyncLifetime
{
    /// <summary>The request size limit the API is configured with.</summary>
    public const int MaxRequestBytes = 4096;

    /// <summary>The one proxy whose forwarded headers the API believes (<c>Mining:Api:TrustedProxies</c>).</summary>
    public const string TrustedProxy = "127.0.0.1";

    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);
    private readonly IReadOnlyDictionary<string, string?> settings;
    private WebApplication? app;

    /// <summary>A gateway whose per-key limits no test here reaches (<see cref="LimitedGateway"/> tests them).</summary>
    public ApiFixture()
        : this(new Dictionary<string, string?>
        {
            ["Mining:Api:Limits:RequestsPerWindow"] = "1000000",
            ["Mining:Api:Limits:MaxRunningJobsPerKey"] = "1000",
        })
    {
    }

    /// <summary>A gateway with these <c>Mining:Api</c> settings over the fixture's own.</summary>
    internal ApiFixture(IReadOnlyDictionary<string, string?> settings)
    {
        this.settings = settings;
        Root = ApiTestData.NewTempFolder();
        Data = Directory.CreateDirectory(Path.Combine(Root, "data")).FullName;
        Models = Directory.CreateDirectory(Path.Combine(Root, "models")).FullName;
        Outside = Directory.CreateDirectory(Path.Combine(Root, "outside")).FullName;
        Model = ApiTestData.ModelCopy(Path.Combine(Models, "llava-tiny"));
        OutsideModel = ApiTestData.ModelCopy(Path.Combine(Outside, "model"));
        OutsideImages = ApiTestData.ImageFolder(Path.Combine(Outside, "images"), ["brick.png", "camera.png"]);
    }

    /// <summary>A key the API accepts.</summary>
    public string Key { get; } = "first-" + Guid.NewGuid().ToString("N");

    /// <summary>A second key the API accepts.</summary>
    public string SecondKey { get; } = "second-" + Guid.NewGuid().ToString("N");

    /// <summary>A third key the API accepts.</summary>
    public string ThirdKey { get; } = "third-" + Guid.NewGuid().ToString("N");

    /// <summary>The folder holding the roots and <see cref="Outside"/>.</summary>
    public string Root { get; }

    /// <summary>An allowed root for datasets.</summary>
    public string Data { get; }

    /// <summary>An allowed root for models.</summary>
    public string Models { get; }

    /// <summary>A folder outside both roots.</summary>
    public string Outside { get; }

    /// <summary>The fixture model inside <see cref="Models"/>.</summary>
    public string Model { get; }

    /// <summary>A copy of the fixture model outside the roots.</summary>
    public string OutsideModel { get; }

    /// <summary>Two images outside the roots.</summary>
    public string OutsideImages { get; }

    public string ArtifactRoot { get; } = ApiTestData.NewTempFolder();

    internal ImageGate Gate { get; } = new();

    internal CapturedLogs Logs { get; } = new();

    public WebApplication App => app ?? throw new InvalidOperationException("the gateway is not started");

    /// <summary>The gateway's address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>The silo's Orleans client port, which takes clients without an API key.</summary>
    public int GatewayPort { get; private set; }

    /// <summary>The silo's cluster and service id.</summary>
    public string ClusterId { get; private set; } = "";

    /// <summary>The grains, as the gateway calls them.</summary>
    public IGrainFactory Grains => App.Services.GetRequiredService<IGrainFactory>();

    /// <summary>Mining parameters small enough for the random fixture model to yield a non-empty codebook (as the grains' tests use).</summary>
    public static JsonObject Parameters => new()
    {
        ["top1_thres"] = 0.185,
        ["jsd_thres"] = 0.15,
        ["k_region"] = 1,
        ["k_global"] = 16,
        ["prototype_clusters"] = 4,
        ["min_unique_images"] = 1,
        ["image_clusters"] = 4,
        ["small_cluster_max"] = 8,
    };

    public async ValueTask InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(ApiFixture).Assembly.GetName().Name,
            // An empty content root: the standalone silo's appsettings.json is copied next to the tests and
            // its logging filters would hide the request logs these tests read.
            ContentRootPath = Directory.CreateTempSubdirectory("mining-api-content-").FullName,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mining:Api:ApiKeys:0"] = Key,
            ["Mining:Api:ApiKeys:1"] = SecondKey,
            ["Mining:Api:ApiKeys:2"] = ThirdKey,
            ["Mining:Api:MaxRequestBytes"] = MaxRequestBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // Clients on 127.0.0.1 stand for a TLS-terminating proxy; 127.0.0.2 for anyone else (TrustedProxiesTests).
            ["Mining:Api:TrustedProxies:0"] = TrustedProxy,
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        builder.Logging.SetMinimumLevel(LogLevel.Debug);
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Orleans", LogLevel.Warning);

        var siloPort = LoopbackPort.Next();
        GatewayPort = LoopbackPort.Next();
        ClusterId = "api-" + Guid.NewGuid().ToString("N");
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort, GatewayPort, serviceId: ClusterId, clusterId: ClusterId);
            silo.AddMemoryGrainStorage(MiningGrainStorage.Name);
            silo.Services.AddSingleton<IExecutorFaults>(Gate);
            silo.AddMiningGrains(options =>
            {
                options.ArtifactRoot = ArtifactRoot;
                options.AllowedRoots = [Data, Models];
                options.RetryBackoff = TimeSpan.FromMilliseconds(50);
                options.JobPollInterval = TimeSpan.FromMilliseconds(100);
            });
            silo.AddMiningDashboard();
        });
        builder.Services.AddMiningApi(builder.Configuration);

        app = builder.Build();
        app.MapMiningApi();
        await app.StartAsync(TestContext.Current.CancellationToken);
        BaseAddress = new Uri(app.Urls.Single());
        await WaitForRoleAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync(CancellationToken.None);
            await app.DisposeAsync();
        }
    }

    /// <summary>A client of the gateway that sends <paramref name="key"/> (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = Patience };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        }

        return client;
    }

    /// <summary>A client with <see cref="Key"/>.</summary>
    public HttpClient Client() => Client(Key);

    /// <summary>A new folder inside <see cref="Data"/> with copies of the named samples (and a corrupt file).</summary>
    public string NewImageFolder(IEnumerable<string> samples, string? corrupt = null) =>
        ApiTestData.ImageFolder(Path.Combine(Data, Guid.NewGuid().ToString("N")), samples, corrupt);

    /// <summary>A job spec over <paramref name="images"/> with the fixture model and <see cref="Parameters"/>, every token a candidate.</summary>
    public JsonObject Spec(string? id, string images, string codebook, int imagesPerShard = 1)
    {
        var spec = new JsonObject
        {
            ["images"] = images,
            ["model"] = Model,
            ["codebook"] = codebook,
            ["parameters"] = Parameters,
            ["allTokens"] = true,
            ["imagesPerShard"] = imagesPerShard,
        };
        if (id is not null)
        {
            spec["id"] = id;
        }

        return spec;
    }

    /// <summary>POSTs <paramref name="spec"/> to /jobs with <see cref="Key"/>.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(JsonNode spec)
    {
        using var client = Client();
        return await client.PostAsJsonAsync("/jobs", spec, TestContext.Current.CancellationToken);
    }

    /// <summary>GET /jobs/{id} until <paramref name="until"/> holds for its JSON.</summary>
    public async Task<JsonElement> WaitForJobAsync(string id, Func<JsonElement, bool> until)
    {
        using var client = Client();
        var job = default(JsonElement);
        await WaitForAsync(
            async () =>
            {
                job = await client.GetFromJsonAsync<JsonElement>($"/jobs/{id}", TestContext.Current.CancellationToken);
                return until(job);
            },
            $"job '{id}'");
        return job;
    }

    /// <summary>GET /jobs/{id} until the job completes, fails or is cancelled.</summary>
    public Task<JsonElement> WaitForEndAsync(string id) =>
        WaitForJobAsync(id, job => job.GetProperty("state").GetString() is "Completed" or "Failed" or "Cancelled");

    /// <summary>Polls <paramref name="condition"/> until it holds; a generous limit only keeps a broken test from hanging.</summary>
    public static async Task WaitForAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {what}");
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Shards are placed on workers only once the silo knows its own role from its metadata.</summary>
    private async Task WaitForRoleAsync()
    {
        var cache = App.Services.GetRequiredService<ISiloMetadataCache>();
        var self = App.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        await WaitForAsync(() => Task.FromResult(cache.GetSiloMetadata(self).Metadata.ContainsKey(SiloRoles.MetadataKey)), "silo metadata");
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Mining.Silo.Api;
using Mining.Silo.Hosting;
using Mining.Silo.Security;

namespace Mining.Silo.Tests.Hosting;

/// <summary>
/// The silo executable with <c>Mining:Silo:Role=Gateway</c>: a silo that also serves the HTTP API, the dashboards and
/// <c>/metrics</c> at <c>Mining:Api:Url</c>; workers stay plain hosts.
/// </summary>
public sealed class StandaloneGatewayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_gateway_process_with_a_worker_process_answers_healthz_and_a_key_holder_over_http()
    {
        var ports = FreePorts.Take(5);
        var key = "standalone-" + Guid.NewGuid().ToString("N");
        var artifacts = TestData.NewTempFolder();
        var url = $"http://127.0.0.1:{Invariant(ports[4])}";
        using var gateway = SiloProcess.Start(
            [
                "--Mining:Silo:Role=Gateway",
                $"--Mining:Silo:SiloPort={Invariant(ports[0])}",
                $"--Mining:Silo:GatewayPort={Invariant(ports[1])}",
                $"--Mining:Artifacts:Root={artifacts}",
                $"--Mining:Api:Url={url}",
                $"--Mining:Silo:AllowedRoots:0={TestData.NewTempFolder()}",
            ],
            new Dictionary<string, string> { ["MINING__API__APIKEYS__0"] = key });
        using var worker = SiloProcess.Start(
        [
            $"--Mining:Silo:SiloPort={Invariant(ports[2])}",
            $"--Mining:Silo:GatewayPort={Invariant(ports[3])}",
            $"--Mining:Silo:PrimarySiloEndpoint=127.0.0.1:{Invariant(ports[0])}",
            $"--Mining:Silo:AllowedRoots:0={TestData.NewTempFolder()}",
            $"--Mining:Artifacts:Root={artifacts}",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };

        var health = await WaitForHealthAsync(http, gateway, worker, activeSilos: 2);
        Assert.Equal("healthy", health.GetProperty("status").GetString());

        using (var anonymous = await http.GetAsync("/jobs", Token))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        using var authorised = new HttpRequestMessage(HttpMethod.Get, "/jobs");
        authorised.Headers.Add(ApiKeyAuthenticationHandler.HeaderName, key);
        using var response = await http.SendAsync(authorised, Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Array, (await response.Content.ReadFromJsonAsync<JsonElement>(Token)).ValueKind);

        // No Mining:Api:TrustedProxies: a forwarded scheme is not believed, even from this machine.
        Assert.DoesNotContain("secure", await Tests.Api.TrustedProxiesTests.SignInCookieAttributesAsync(http, key, forwardedProto: "https"));
        Assert.DoesNotContain(key, gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_gateway_process_without_api_keys_exits_with_an_error_naming_the_setting()
    {
        var ports = FreePorts.Take(3);
        using var gateway = SiloProcess.Start(
        [
            "--Mining:Silo:Role=Gateway",
            $"--Mining:Silo:SiloPort={Invariant(ports[0])}",
            $"--Mining:Silo:GatewayPort={Invariant(ports[1])}",
            $"--Mining:Artifacts:Root={TestData.NewTempFolder()}",
            $"--Mining:Api:Url=http://127.0.0.1:{Invariant(ports[2])}",
            $"--Mining:Silo:AllowedRoots:0={TestData.NewTempFolder()}",
        ]);

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Token);
        patience.CancelAfter(Patience);
        Assert.Equal(2, await gateway.WaitForExitAsync(patience.Token));
        Assert.Contains("mining-silo: error: Mining:Api:ApiKeys is empty", gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_silo_process_without_allowed_roots_exits_with_an_error_naming_the_setting()
    {
        var ports = FreePorts.Take(2);
        using var worker = SiloProcess.Start(
        [
            $"--Mining:Silo:SiloPort={Invariant(ports[0])}",
            $"--Mining:Silo:GatewayPort={Invariant(ports[1])}",
            $"--Mining:Artifacts:Root={TestData.NewTempFolder()}",
        ]);

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(Token);
        patience.CancelAfter(Patience);
        Assert.Equal(2, await worker.WaitForExitAsync(patience.Token));
        Assert.Contains("mining-silo: error: Mining:Silo:AllowedRoots is empty", worker.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_worker_is_a_plain_host_without_http()
    {
        var ports = FreePorts.Take(2);
        using var host = StandaloneSilo.Build(
        [
            $"--Mining:Silo:SiloPort={Invariant(ports[0])}",
            $"--Mining:Silo:GatewayPort={Invariant(ports[1])}",
        ]);
        Assert.IsNotType<WebApplication>(host);
    }

    [Fact]
    public void A_gateway_with_an_empty_url_is_a_plain_host_without_http()
    {
        var ports = FreePorts.Take(2);
        using var host = StandaloneSilo.Build(
        [
            "--Mining:Silo:Role=Gateway",
            $"--Mining:Silo:SiloPort={Invariant(ports[0])}",
            $"--Mining:Silo:GatewayPort={Invariant(ports[1])}",
            "--Mining:Api:Url=",
        ]);
        Assert.IsNotType<WebApplication>(host);
    }

    [Fact]
    public void A_gateway_is_a_web_application()
    {
        var ports = FreePorts.Take(3);
        using var host = StandaloneSilo.Build(
        [
            "--Mining:Silo:Role=Gateway",
            $"--Mining:Silo:SiloPort={Invariant(ports[0])}",
            $"--Mining:Silo:GatewayPort={Invariant(ports[1])}",
            $"--Mining:Api:Url=http://127.0.0.1:{Invariant(ports[2])}",
        ]);
        Assert.IsType<WebApplication>(host);
    }

    /// <summary>Polls <c>/healthz</c> until the cluster has <paramref name="activeSilos"/>; fails early if a silo exits.</summary>
    private static async Task<JsonElement> WaitForHealthAsync(HttpClient http, SiloProcess gateway, SiloProcess worker, int activeSilos)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (true)
        {
            Assert.False(gateway.HasExited, $"the gateway exited:\n{gateway.Output}");
            Assert.False(worker.HasExited, $"the worker exited:\n{worker.Output}");
            try
            {
                using var response = await http.GetAsync("/healthz", Token);
                var health = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
                if (response.IsSuccessStatusCode && health.GetProperty("activeSilos").GetInt32() == activeSilos)
                {
                    return health;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"gave up waiting for {activeSilos} active silos; gateway:\n{gateway.Output}\nworker:\n{worker.Output}");
            }

            await Task.Delay(200, Token);
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}

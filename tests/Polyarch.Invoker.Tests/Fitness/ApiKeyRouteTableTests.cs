using System.Net;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Fitness;

/// <summary>Issue 11 item 1: every endpoint of the route table needs the API key, whatever the case of its path, unless it is explicitly anonymous.</summary>
[Trait("Category", "Integration")] // serve removes its instance's leftover containers at start-up (InvokerStartup): it needs the Docker engine.
public sealed class ApiKeyRouteTableTests
{
    // What may be called without the API key, and why: liveness/readiness probes, and the registry webhook,
    // which authenticates itself with its bearer token; the dashboard's login form and its stylesheet and script (the
    // form itself takes the key). /metrics and /openapi are not on this list (README).
    private static readonly string[] Anonymous =
    [
        "GET /healthz", "GET /readyz", "POST /v1/hooks/registry",
        "GET /login", "POST /login", "GET /dashboard/assets/dashboard.css", "GET /dashboard/assets/dashboard.js",
    ];

    [Fact]
    public async Task Serve_WithApiKeysOn_EveryEndpointNotExplicitlyAnonymous_Is401WithoutTheKey_InEveryCaseOfItsPath()
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}");
        var table = RouteTable.Read(serve.Services);

        var protectedEndpoints = table.Where(e => !Anonymous.Contains(e.ToString())).ToList();
        protectedEndpoints.Select(e => e.Pattern).ShouldContain("/v1/rules");
        protectedEndpoints.Select(e => e.Pattern).ShouldContain("/metrics");
        protectedEndpoints.Select(e => e.Pattern).ShouldContain("/activations/{id}"); // the dashboard's pages

        var failures = new List<string>();
        foreach (var endpoint in protectedEndpoints)
        {
            foreach (var path in RouteTable.CaseVariants(endpoint.SamplePath))
            {
                using var withoutKey = await RouteTable.SendAsync(serve.Http, endpoint.Method, path, key: null);
                var body = await withoutKey.Content.ReadAsStringAsync();
                if (withoutKey.StatusCode != HttpStatusCode.Unauthorized || !body.Contains("invoker-api.key", StringComparison.Ordinal))
                {
                    failures.Add($"{endpoint.Method} {path} without the key: {(int)withoutKey.StatusCode} {body[..Math.Min(body.Length, 120)]}");
                }

                using var wrongKey = await RouteTable.SendAsync(serve.Http, endpoint.Method, path, key: "not-the-key-" + ServeHost.Key);
                if (wrongKey.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{endpoint.Method} {path} with a wrong key: {(int)wrongKey.StatusCode}");
                }

                using var withKey = await RouteTable.SendAsync(serve.Http, endpoint.Method, path, ServeHost.Key);
                if (withKey.StatusCode == HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{endpoint.Method} {path} with the key: 401");
                }
            }
        }

        failures.ShouldBeEmpty();
        table.Where(e => e.Anonymous).Select(e => e.ToString()).ShouldBe(Anonymous, ignoreOrder: true);
    }

    [Fact]
    public async Task Serve_WithApiKeysOn_AndNoConfiguredKey_WritesTheKeyFileAtStartUp_AndAcceptsThatKey()
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true");

        // scripts/quickstart.sh reads the file right after scripts/services.sh saw /readyz, before any /v1 call.
        var file = Path.Combine(serve.StateDirectory, "secrets", "invoker-api.key");
        File.Exists(file).ShouldBeTrue();
        (await RouteTable.SendAsync(serve.Http, "GET", "/v1/rules", (await File.ReadAllTextAsync(file)).Trim())).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Serve_WithApiKeysOff_OnLoopback_NoEndpointAsksForAKey()
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=false");

        var failures = new List<string>();
        foreach (var endpoint in RouteTable.Read(serve.Services).Where(e => !e.Anonymous))
        {
            using var response = await RouteTable.SendAsync(serve.Http, endpoint.Method, endpoint.SamplePath, key: null);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                failures.Add($"{endpoint}: 401");
            }
        }

        failures.ShouldBeEmpty();
        (await serve.Http.GetAsync("/v1/rules")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}

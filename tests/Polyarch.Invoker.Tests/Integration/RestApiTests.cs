using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.Tests.Integration;

[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
#pragma warning disable CA1001 // Disposed in DisposeAsync (xunit IAsyncLifetime).
public sealed class RestApiTests(InvokerEngineFixture fixture) : IAsyncLifetime
#pragma warning restore CA1001
{
    private readonly string _instance = $"t{TestRun.Id}-rest";
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-rest-").FullName;
    private WebApplication _app = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _app = ServeCommand.Build(
            [$"--Invoker:InstanceId={_instance}", $"--Invoker:StateDirectory={_state}", $"--Docker:ExtraLabels:{TestRun.LabelKey}={TestRun.Id}"],
            "http://127.0.0.1:0");
        await _app.StartAsync();
        var address = _app.ListeningAddress();
        _http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromMinutes(2) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        using var docker = ContainerHost.CreateDockerClient();
        var janitor = new Polyarch.Invoker.DockerEngine.DockerJanitor(
            new Polyarch.Invoker.DockerEngine.DockerClientProvider(Microsoft.Extensions.Options.Options.Create(new Polyarch.Invoker.DockerEngine.DockerBackendOptions())),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<Polyarch.Invoker.DockerEngine.DockerJanitor>.Instance);
        await janitor.RemoveInstanceLeftoversAsync(_instance, CancellationToken.None);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_state, recursive: true);
    }

    [Fact]
    public async Task Actions_CreateInvokeReadDelete_OverHttp()
    {
        var put = await _http.PutAsJsonAsync("/v1/actions/echo", new { image = fixture.EchoImage, memoryMb = 128 });
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());
        (await _http.GetFromJsonAsync<JsonObject>("/v1/actions/echo"))!["image"]!.GetValue<string>().ShouldBe(fixture.EchoImage);

        var invoke = await _http.PostAsJsonAsync("/v1/actions/echo/invocations?platform=linux/arm64", new { x = 1 });
        invoke.StatusCode.ShouldBe(HttpStatusCode.OK, await invoke.Content.ReadAsStringAsync());
        var record = (await invoke.Content.ReadFromJsonAsync<JsonObject>())!;
        record["status"]!.GetValue<string>().ShouldBe("success");
        record["result"]!["arch"]!.GetValue<string>().ShouldBe("aarch64");
        record["emulated"]!.GetValue<bool>().ShouldBeTrue();

        var stored = await _http.GetFromJsonAsync<JsonObject>($"/v1/activations/{record["activationId"]}");
        stored!["childDigest"]!.GetValue<string>().ShouldBe(record["childDigest"]!.GetValue<string>());

        (await _http.DeleteAsync("/v1/actions/echo")).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await _http.GetAsync("/v1/actions/echo")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await _http.PostAsJsonAsync("/v1/actions/echo/invocations", new { })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Invoke_NonBlocking_AnswersWithTheIdAndTheRecordAppears()
    {
        await _http.PutAsJsonAsync("/v1/actions/echo-async", new { image = fixture.EchoImage });

        var accepted = await _http.PostAsJsonAsync("/v1/actions/echo-async/invocations?blocking=false", new { y = 2 });

        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["activationId"]!.GetValue<string>();
        JsonObject? record = null;
        for (var i = 0; i < 300 && record is null; i++)
        {
            // 202 {status: pending | running} until the record is there, then 200 + the record.
            var response = await _http.GetAsync($"/v1/activations/{id}");
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Accepted, HttpStatusCode.OK);
            record = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            await Task.Delay(record is null ? 100 : 0);
        }

        record.ShouldNotBeNull();
        record["status"]!.GetValue<string>().ShouldBe("success", record.ToJsonString());
        record["result"]!["params"]!["y"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Invoke_NonBlocking_ThatCannotBePlaced_EndsInARecordWithTheReason()
    {
        await _http.PutAsJsonAsync("/v1/actions/echo-async-s390x", new { image = fixture.EchoImage });

        var accepted = await _http.PostAsJsonAsync("/v1/actions/echo-async-s390x/invocations?blocking=false&platform=linux/s390x", new { });

        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonObject>())!["activationId"]!.GetValue<string>();
        JsonObject? record = null;
        for (var i = 0; i < 300 && record is null; i++)
        {
            var response = await _http.GetAsync($"/v1/activations/{id}");
            // Accepted: never "not found" — 202 (pending/running) until the record, then 200.
            response.StatusCode.ShouldBeOneOf(HttpStatusCode.Accepted, HttpStatusCode.OK);
            record = response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadFromJsonAsync<JsonObject>() : null;
            await Task.Delay(record is null ? 100 : 0);
        }

        record.ShouldNotBeNull();
        record["status"]!.GetValue<string>().ShouldBe("action developer error", record.ToJsonString());
        record["result"]!["error"]!.GetValue<string>().ShouldContain("no variant for linux/s390x");
        record["result"]!["imagePlatforms"]!.AsArray().Count.ShouldBe(3);
        record["platform"]!.GetValue<string>().ShouldBe("linux/s390x");
        (await _http.GetAsync($"/v1/activations/{Activations.ActivationId.New()}")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Errors_AreReadable()
    {
        var invalid = await _http.PutAsJsonAsync("/v1/actions/bad", new { image = fixture.EchoImage, memoryMb = 1, timeoutMs = 1 });
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await invalid.Content.ReadFromJsonAsync<JsonObject>())!["errors"]!.AsArray().Count.ShouldBe(2);

        await _http.PutAsJsonAsync("/v1/actions/echo-s390x", new { image = fixture.EchoImage });
        var unplaceable = await _http.PostAsJsonAsync("/v1/actions/echo-s390x/invocations?platform=linux/s390x", new { });
        unplaceable.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        unplaceable.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var error = (await unplaceable.Content.ReadFromJsonAsync<JsonObject>())!;
        error["status"]!.GetValue<int>().ShouldBe(422);
        error["title"]!.GetValue<string>().ShouldNotBeNullOrWhiteSpace();
        error["detail"]!.GetValue<string>().ShouldContain("no variant for linux/s390x");
        error["imagePlatforms"]!.AsArray().Select(p => p!.GetValue<string>()).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        // The why-not table names every candidate and its reason.
        var candidates = error["candidates"]!.AsArray();
        candidates.Select(c => c!["variant"]!.GetValue<string>()).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        candidates.ShouldAllBe(c => c!["reason"]!.GetValue<string>() == "not the requested platform linux/s390x");

        (await _http.GetAsync("/v1/activations/not-an-id")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        var badBody = new StringContent("[1,2]", System.Text.Encoding.UTF8, "application/json");
        (await _http.PostAsync("/v1/actions/echo-s390x/invocations", badBody)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Platforms_ListNativeAndEmulated()
    {
        var inventory = await _http.GetFromJsonAsync<JsonObject>("/v1/platforms");

        var platforms = inventory!["platforms"]!.AsArray();
        platforms.ShouldContain(p => p!["platform"]!.GetValue<string>() == "linux/amd64" && !p["emulated"]!.GetValue<bool>());
        platforms.ShouldContain(p => p!["platform"]!.GetValue<string>() == "linux/arm64" && p["emulated"]!.GetValue<bool>());
        platforms.ShouldContain(p => p!["platform"]!.GetValue<string>() == "linux/ppc64le" && p["emulated"]!.GetValue<bool>());
    }
}

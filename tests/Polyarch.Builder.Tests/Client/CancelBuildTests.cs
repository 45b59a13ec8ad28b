using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Fitness;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Client;

/// <summary>Issue 19 item 2: POST /v1/builds/{id}/cancel ends a running bake's whole process group and records the build cancelled.</summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class CancelBuildTests(RegistryFixture registry) : IDisposable
{
    private readonly TestGitRepository _repository = new();

    [Fact]
    public async Task Cancelling_a_running_build_kills_its_bake_process_group_records_cancelled_and_moves_no_tag()
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN echo started; sleep 300\n" });
        await using var service = await ServeHost.StartAsync(
            "--Builder:ProcessQueue=true", $"--Builder:Registry={registry.Address}", "--Builder:CancelGracePeriod=00:00:03");
        using var submitted = await service.Http.PostAsJsonAsync("/v1/builds", new { source = _repository.Path, repository = "demo/cancel", platforms = new[] { "linux/amd64" } });
        submitted.StatusCode.ShouldBe(HttpStatusCode.Accepted, await submitted.Content.ReadAsStringAsync());
        var id = (await submitted.Content.ReadFromJsonAsync<JsonNode>())!["build"]!["id"]!.GetValue<string>();
        (await BakeProcesses.WaitAsync(() => BakeProcesses.Of(id).Count > 0, TimeSpan.FromSeconds(60))).ShouldBeTrue("bake never started");

        using var cancelled = await service.Http.PostAsync($"/v1/builds/{id}/cancel", content: null);

        var body = await cancelled.Content.ReadAsStringAsync();
        cancelled.StatusCode.ShouldBe(HttpStatusCode.OK, body);
        var record = JsonNode.Parse(body)!;
        record["status"]!.GetValue<string>().ShouldBe("cancelled");
        record["error"]!["message"]!.GetValue<string>().ShouldContain("cancelled");
        (await BakeProcesses.WaitAsync(() => BakeProcesses.Of(id).Count == 0, TimeSpan.FromSeconds(5))).ShouldBeTrue(
            $"bake processes left: {string.Join(", ", BakeProcesses.Of(id))}");
        using var harness = new BuildHarness(registry.Address);
        (await harness.TagDigestAsync("demo/cancel", "main")).ShouldBeNull();
        using var again = await service.Http.PostAsync($"/v1/builds/{id}/cancel", content: null);
        again.StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    public void Dispose() => _repository.Dispose();
}

using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Integration;

[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RestartTests(RegistryFixture registry) : IDisposable
{
    private readonly TestGitRepository _repository = new();
    private readonly TempDirectory _state = new();

    [Fact]
    public async Task A_build_running_when_the_service_died_completes_once_after_a_restart()
    {
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN uname -m > /arch\n" });
        string id;
        using (var dead = BuilderServices.Create(_state.Path))
        {
            // The first process stored and claimed the build, then died without finishing it.
            var store = dead.GetRequiredService<IBuildStore>();
            var submitted = await store.SubmitAsync(
                new BuildRequest(_repository.Path, registry.Address, "demo/restart", commit, "main", true, HostSettings.Platforms, "test"), null, CancellationToken.None);
            (await store.ClaimNextAsync(CancellationToken.None))!.Id.ShouldBe(submitted.Build.Id);
            id = submitted.Build.Id;
        }

        using var service = new BuilderAppFactory(new Dictionary<string, string?>
        {
            ["Builder:StateDirectory"] = _state.Path,
            ["Builder:ProcessQueue"] = "true",
            ["Builder:Registry"] = registry.Address,
        });
        using var client = service.CreateClient();

        // Bounded wait for the build to finish (a readiness bound, not a speed assertion).
        JsonNode build;
        var polls = 0;
        do
        {
            await Task.Delay(500);
            build = (await client.GetFromJsonAsync<JsonNode>($"/v1/builds/{id}"))!;
        }
        while (build["status"]!.GetValue<string>() is "queued" or "running" && ++polls < 1200);

        build["status"]!.GetValue<string>().ShouldBe("succeeded", build.ToJsonString());
        build["attempts"]!.GetValue<int>().ShouldBe(2);
        (await client.GetFromJsonAsync<JsonArray>("/v1/builds"))!.Count.ShouldBe(1);
        var log = await client.GetStringAsync($"/v1/builds/{id}/log");
        log.ShouldContain("===== linux/ppc64le =====");
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
        _repository.Dispose();
    }
}

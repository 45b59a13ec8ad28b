using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Logging;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Support;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Publishing;

/// <summary>Staging tags against the real distribution 2.8 registry: removed after a build, never taking the verified index along.</summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class StagingTagsTests(RegistryFixture registry) : IDisposable
{
    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];
    private readonly TestGitRepository _repository = new();
    private readonly TempDirectory _state = new();

    private static async Task<IReadOnlyList<string>> TagsAsync(string registryAddress, string repository)
    {
        using var http = new HttpClient();
        var tags = await http.GetFromJsonAsync<JsonObject>($"http://{registryAddress}/v2/{repository}/tags/list");
        return [.. tags!["tags"]!.AsArray().Select(t => t!.GetValue<string>())];
    }

    [Fact]
    public async Task After_a_build_the_staging_tag_is_gone_and_the_verified_tags_keep_the_index()
    {
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN uname -m > /arch\n" });
        using var harness = new BuildHarness(registry.Address);

        var result = await harness.BuildAsync(_repository.Path, "demo/staging", platforms: Platforms);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var index = result.IndexDigest();
        var tags = await TagsAsync(registry.Address, "demo/staging");
        tags.ShouldNotContain(t => t.StartsWith("polyarch-build-", StringComparison.Ordinal), string.Join(", ", tags));
        tags.ShouldContain(commit[..12]);
        (await harness.TagDigestAsync("demo/staging", "latest")).ShouldBe(index);
        (await harness.TagDigestAsync("demo/staging", "main")).ShouldBe(index);
        (await harness.TagDigestAsync("demo/staging", index)).ShouldBe(index, "the index itself is still there");
    }

    [Fact]
    public async Task A_registry_with_deletes_disabled_keeps_the_staging_tags_and_says_so_once()
    {
        await using var noDeletes = await RegistryInstance.StartAsync(new Dictionary<string, string> { ["REGISTRY_STORAGE_DELETE_ENABLED"] = "false" });
        try
        {
            var context = Polyarch.Testing.Buildx.CreateContext(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\n" });
            await Polyarch.Testing.Buildx.BuildAndPushAsync(context, $"{noDeletes.Address}/demo/kept:polyarch-build-1", Platforms);
            using var services = Services(noDeletes.Address);
            var client = services.GetRequiredService<IRegistryClient>();
            var staged = (await client.HeadManifestAsync(ImageReference.Parse($"{noDeletes.Address}/demo/kept:polyarch-build-1")))!.Digest.ToString();
            var document = (await client.GetManifestAsync(ImageReference.Parse($"{noDeletes.Address}/demo/kept@{staged}")))!;
            await client.PutManifestAsync(ImageReference.Parse($"{noDeletes.Address}/demo/kept:polyarch-build-2"), document.Content, document.MediaType);
            await client.PutManifestAsync(ImageReference.Parse($"{noDeletes.Address}/demo/kept:latest"), document.Content, document.MediaType);
            var stagingTags = services.GetRequiredService<StagingTags>();

            (await stagingTags.DeleteAsync(noDeletes.Address, "demo/kept", "polyarch-build-1", staged, CancellationToken.None)).ShouldBeFalse();
            (await stagingTags.DeleteAsync(noDeletes.Address, "demo/kept", "polyarch-build-2", staged, CancellationToken.None)).ShouldBeFalse();

            (await TagsAsync(noDeletes.Address, "demo/kept")).Order().ShouldBe(["latest", "polyarch-build-1", "polyarch-build-2"]);
            var said = services.GetFakeLogCollector().GetSnapshot().Where(r => r.Level == LogLevel.Warning).ToList();
            said.ShouldHaveSingleItem().Message.ShouldContain("does not allow deletes");
            said[0].Message.ShouldContain("never trigger");
        }
        finally
        {
            await Engine.RemoveImagesFromAsync(noDeletes.Address);
        }
    }

    [Fact]
    public async Task Deleting_a_staging_tag_on_distribution_2_8_leaves_every_other_tag_of_the_same_index()
    {
        var context = Polyarch.Testing.Buildx.CreateContext(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nLABEL t=shared\n" });
        await Polyarch.Testing.Buildx.BuildAndPushAsync(context, $"{registry.Address}/demo/shared:polyarch-build-x", Platforms);
        using var services = Services(registry.Address);
        var client = services.GetRequiredService<IRegistryClient>();
        var staged = (await client.HeadManifestAsync(ImageReference.Parse($"{registry.Address}/demo/shared:polyarch-build-x")))!.Digest.ToString();
        var document = (await client.GetManifestAsync(ImageReference.Parse($"{registry.Address}/demo/shared@{staged}")))!;
        await client.PutManifestAsync(ImageReference.Parse($"{registry.Address}/demo/shared:v1"), document.Content, document.MediaType);

        var deleted = await services.GetRequiredService<StagingTags>().DeleteAsync(registry.Address, "demo/shared", "polyarch-build-x", staged, CancellationToken.None);

        deleted.ShouldBeTrue();
        (await TagsAsync(registry.Address, "demo/shared")).ShouldBe(["v1"]);
        (await client.HeadManifestAsync(ImageReference.Parse($"{registry.Address}/demo/shared:v1")))!.Digest.ToString().ShouldBe(staged);
        (await client.GetManifestAsync(ImageReference.Parse($"{registry.Address}/demo/shared@{staged}"))).ShouldNotBeNull();
    }

    private ServiceProvider Services(string registryAddress)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Builder:StateDirectory"] = _state.Path,
            ["Builder:Registry"] = registryAddress,
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug)).AddFakeLogging();
        services.AddPolyarchBuilder(configuration);
        return services.BuildServiceProvider();
    }

    public void Dispose()
    {
        _repository.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }
}

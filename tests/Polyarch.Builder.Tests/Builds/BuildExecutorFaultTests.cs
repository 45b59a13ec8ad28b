using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Builds;

/// <summary>
/// How a build ends when buildx fails after or around the push: buildx is a fake that replays what the real one
/// printed (a captured rawjson stream); the registry, the verification and the tags are real.
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class BuildExecutorFaultTests(RegistryFixture registry) : IDisposable
{
    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64"];
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();

    private ServiceProvider Services(FakeDocker docker, params (string Key, string Value)[] settings) =>
        BuilderServices.Create(_state.Path, new Dictionary<string, string?>(
            settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))
                .Append(new("Builder:DockerPath", docker.ExecutablePath))
                .Append(new("Builder:Registry", registry.Address))));

    [Fact]
    public async Task A_cache_export_that_fails_after_the_image_was_pushed_is_a_success_with_a_warning()
    {
        using var docker = FakeDocker.Replaying("cache-export-fails.rawjson", exitCode: 1);
        using var services = Services(docker);
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var store = services.GetRequiredService<IBuildStore>();
        var submitted = await store.SubmitAsync(new BuildRequest(_repository.Path, registry.Address, "demo/cache-export", commit, "main", true, Platforms, "test"), null, CancellationToken.None);
        // What the real bake had pushed before its cache export failed: the index under the build's staging tag.
        var context = Polyarch.Testing.Buildx.CreateContext(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN uname -m > /arch\n" });
        await Polyarch.Testing.Buildx.BuildAndPushAsync(context, $"{registry.Address}/demo/cache-export:polyarch-build-{submitted.Build.Id}", Platforms);
        using var harness = new BuildHarness(registry.Address);
        var staged = await harness.TagDigestAsync("demo/cache-export", $"polyarch-build-{submitted.Build.Id}");

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Succeeded, build.Error?.Message);
        build.Warnings.ShouldHaveSingleItem().ShouldContain("build cache could not be exported");
        build.Warnings[0].ShouldContain("manifests/buildcache: 503 Service Unavailable");
        build.Retries.ShouldBeEmpty();
        docker.BakePids.Count.ShouldBe(1);
        // The tagged index is the staged one with placement annotations on its entries: same children, new digest.
        var built = build.Images.ShouldHaveSingleItem();
        built.IndexDigest.ShouldNotBe(staged);
        built.Platforms.Select(p => p.Platform).ShouldBe(Platforms);
        (await harness.TagDigestAsync("demo/cache-export", "latest")).ShouldBe(built.IndexDigest);
        (await store.GetAsync(build.Id, CancellationToken.None))!.Warnings.ShouldBe(build.Warnings);
    }

    [Fact]
    public async Task The_outcome_is_announced_once_recorded_and_the_staging_tag_removed_after_it()
    {
        using var docker = FakeDocker.Replaying("cache-export-fails.rawjson", exitCode: 1);
        using var services = Services(docker);
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var store = services.GetRequiredService<IBuildStore>();
        var submitted = await store.SubmitAsync(new BuildRequest(_repository.Path, registry.Address, "demo/announced", commit, "main", true, Platforms, "test"), null, CancellationToken.None);
        var stagingTag = $"polyarch-build-{submitted.Build.Id}";
        var context = Polyarch.Testing.Buildx.CreateContext(new Dictionary<string, string> { ["Dockerfile"] = $"FROM {HostSettings.BaseImage}\nRUN uname -m > /arch\n" });
        await Polyarch.Testing.Buildx.BuildAndPushAsync(context, $"{registry.Address}/demo/announced:{stagingTag}", Platforms);
        using var harness = new BuildHarness(registry.Address);
        var announcements = new List<(BuildStatus Status, string? Staging)>();

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync(
            (await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None,
            onRecorded: () => announcements.Add((
                store.GetAsync(submitted.Build.Id, CancellationToken.None).GetAwaiter().GetResult()!.Status,
                harness.TagDigestAsync("demo/announced", stagingTag).GetAwaiter().GetResult())));

        build.Status.ShouldBe(BuildStatus.Succeeded, build.Error?.Message);
        // Announced once, with the final record already stored and before the housekeeping that cannot change it.
        var announced = announcements.ShouldHaveSingleItem();
        announced.Status.ShouldBe(BuildStatus.Succeeded);
        announced.Staging.ShouldNotBeNull("the staging tag was removed before the outcome was announced");
        (await harness.TagDigestAsync("demo/announced", stagingTag)).ShouldBeNull("the staging tag outlived the build");
        (await harness.TagDigestAsync("demo/announced", "latest")).ShouldBe(build.Images.ShouldHaveSingleItem().IndexDigest);
    }

    [Fact]
    public async Task A_failed_build_is_announced_once()
    {
        using var docker = FakeDocker.Replaying("cache-export-fails.rawjson", exitCode: 1);
        using var services = Services(docker, ("Builder:PushRetries", "0"));
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var store = services.GetRequiredService<IBuildStore>();
        await store.SubmitAsync(new BuildRequest(_repository.Path, registry.Address, "demo/announced-failed", commit, "main", true, Platforms, "test"), null, CancellationToken.None);
        var announcements = 0;

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync(
            (await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None, onRecorded: () => announcements++);

        build.Status.ShouldBe(BuildStatus.Failed);
        announcements.ShouldBe(1);
    }

    [Fact]
    public async Task A_cache_export_failure_without_a_pushed_image_fails_the_build()
    {
        using var docker = FakeDocker.Replaying("cache-export-fails.rawjson", exitCode: 1);
        using var services = Services(docker, ("Builder:PushRetries", "0"));
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var store = services.GetRequiredService<IBuildStore>();
        await store.SubmitAsync(new BuildRequest(_repository.Path, registry.Address, "demo/cache-export-nothing", commit, "main", true, Platforms, "test"), null, CancellationToken.None);

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Failed);
        build.Warnings.ShouldBeEmpty();
        build.Images.ShouldBeEmpty();
    }

    [Fact]
    public async Task A_push_that_keeps_failing_transiently_is_a_dependency_failure_exit_3()
    {
        using var docker = new FakeDocker("transient");
        using var services = Services(docker, ("Builder:PushRetries", "0"));
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var store = services.GetRequiredService<IBuildStore>();
        await store.SubmitAsync(new BuildRequest(_repository.Path, registry.Address, "demo/transient", commit, null, false, ["linux/amd64"], "test"), null, CancellationToken.None);

        var build = await services.GetRequiredService<BuildExecutor>().ExecuteAsync((await store.ClaimNextAsync(CancellationToken.None))!, null, CancellationToken.None);

        build.Status.ShouldBe(BuildStatus.Failed);
        build.Error!.ExitCode.ShouldBe(3);
        build.Error.Message.ShouldContain($"The registry {registry.Address} kept failing");
        build.Error.Message.ShouldContain("500 Internal Server Error");
    }

    public void Dispose()
    {
        _repository.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _state.Dispose();
    }
}

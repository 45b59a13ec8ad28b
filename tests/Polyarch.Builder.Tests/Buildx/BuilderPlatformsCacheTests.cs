using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Buildx;

/// <summary>
/// `docker buildx inspect` is asked once per five minutes across processes (the CLI is a new process per build),
/// and a cached answer never refuses a platform buildx would now build. The fake docker answers amd64 and arm64.
/// </summary>
public sealed class BuilderPlatformsCacheTests : IDisposable
{
    private readonly FakeDocker _docker = new();
    private readonly TempDirectory _state = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-26T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task A_second_process_within_five_minutes_does_not_ask_buildx_again()
    {
        await NewProcess().EnsureSupportedAsync(["linux/amd64", "linux/arm64"], CancellationToken.None);
        await NewProcess().EnsureSupportedAsync(["linux/arm64"], CancellationToken.None);

        InspectCalls().ShouldBe(1);
    }

    [Fact]
    public async Task After_five_minutes_buildx_is_asked_again()
    {
        await NewProcess().ListAsync(CancellationToken.None);
        _time.Advance(BuilderPlatforms.CacheDuration + TimeSpan.FromSeconds(1));

        (await NewProcess().ListAsync(CancellationToken.None)).ShouldBe(["linux/amd64", "linux/arm64"]);
        InspectCalls().ShouldBe(2);
    }

    [Fact]
    public async Task A_cached_answer_lacking_a_platform_is_checked_with_buildx_before_refusing()
    {
        File.WriteAllText(_state.Combine("builder", "buildx-platforms.json").EnsureParent(),
            """{"Builder":"","Platforms":["linux/amd64"],"Expires":"2026-11-26T12:04:00+00:00"}""");

        await NewProcess().EnsureSupportedAsync(["linux/arm64"], CancellationToken.None);

        InspectCalls().ShouldBe(1);
    }

    [Fact]
    public async Task A_platform_buildx_cannot_build_is_refused_naming_what_it_can()
    {
        var platforms = NewProcess();
        await platforms.ListAsync(CancellationToken.None);

        var refused = await Should.ThrowAsync<InvalidBuildInputException>(() => platforms.EnsureSupportedAsync(["linux/ppc64le"], CancellationToken.None));

        refused.Message.ShouldContain("cannot build linux/ppc64le (it builds linux/amd64, linux/arm64)");
        InspectCalls().ShouldBe(2, "the refusal is based on a fresh answer, not the cached one");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"Builder":"other-builder","Platforms":["linux/s390x"],"Expires":"2026-11-26T12:04:00+00:00"}""")]
    public async Task A_broken_or_foreign_cache_file_means_asking_buildx(string content)
    {
        File.WriteAllText(_state.Combine("builder", "buildx-platforms.json").EnsureParent(), content);

        (await NewProcess().ListAsync(CancellationToken.None)).ShouldBe(["linux/amd64", "linux/arm64"]);
        InspectCalls().ShouldBe(1);
    }

    private BuilderPlatforms NewProcess()
    {
        var options = Options.Create(new BuilderOptions { StateDirectory = _state.Path, CacheDirectory = _state.Combine("cache"), DockerPath = _docker.ExecutablePath });
        return new BuilderPlatforms(new DockerCli(options), options, _time);
    }

    private int InspectCalls() => _docker.Calls.Count(c => c.StartsWith("CALL <buildx> <inspect>", StringComparison.Ordinal));

    public void Dispose()
    {
        _docker.Dispose();
        _state.Dispose();
    }
}

internal static class PathExtensions
{
    public static string EnsureParent(this string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}

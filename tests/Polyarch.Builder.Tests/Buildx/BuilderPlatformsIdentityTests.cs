using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Buildx;

/// <summary>
/// What buildx can build is shared by every state directory under the builder's identity (issue 18, P5: a service started on
/// a fresh state does not ask `docker buildx inspect` again), and a changed builder, engine or binfmt handler is asked again.
/// The identity's sources are directories of the test's own; the fake docker answers amd64 and arm64.
/// </summary>
public sealed class BuilderPlatformsIdentityTests : IDisposable
{
    private readonly FakeDocker _docker = new();
    private readonly TempDirectory _root = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-26T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public BuilderPlatformsIdentityTests() =>
        File.WriteAllText(_root.Combine("binfmt", "qemu-aarch64").EnsureParent(), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P");

    [Fact]
    public async Task A_process_on_a_fresh_state_directory_uses_the_answer_for_the_same_builder()
    {
        await OnFreshState().ListAsync(CancellationToken.None);
        await OnFreshState().EnsureSupportedAsync(["linux/amd64", "linux/arm64"], CancellationToken.None);

        InspectCalls().ShouldBe(1);
        var shared = Directory.GetFiles(_root.Combine("cache", "buildx-platforms")).ShouldHaveSingleItem();
        File.GetUnixFileMode(shared).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Theory]
    [InlineData("buildx/instances/remote-arm", "{\"Name\":\"remote-arm\"}")]
    [InlineData("buildx/current", "{\"Key\":\"unix:///var/run/docker.sock\",\"Name\":\"remote-arm\"}")]
    [InlineData("binfmt/qemu-riscv64", "enabled\ninterpreter /usr/libexec/qemu-binfmt/riscv64-binfmt-P")]
    [InlineData("binfmt/qemu-aarch64", "disabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P")]
    [InlineData("docker.sock", "a restarted engine")]
    [InlineData("docker/config.json", "{\"currentContext\":\"remote\"}")]
    public async Task A_changed_builder_engine_or_emulation_is_asked_again(string changed, string content)
    {
        await OnFreshState().ListAsync(CancellationToken.None);

        File.WriteAllText(_root.Combine(changed.Split('/')).EnsureParent(), content);
        await OnFreshState().ListAsync(CancellationToken.None);

        InspectCalls().ShouldBe(2);
    }

    [Fact]
    public async Task Buildx_rewriting_its_current_builder_unchanged_is_no_change()
    {
        File.WriteAllText(_root.Combine("buildx", "current").EnsureParent(), "{\"Key\":\"unix:///var/run/docker.sock\",\"Name\":\"default\"}");
        await OnFreshState().ListAsync(CancellationToken.None);

        File.WriteAllText(_root.Combine("buildx", "current"), "{\"Key\":\"unix:///var/run/docker.sock\",\"Name\":\"default\"}");
        File.SetLastWriteTimeUtc(_root.Combine("buildx", "current"), new DateTime(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        await OnFreshState().ListAsync(CancellationToken.None);

        InspectCalls().ShouldBe(1, "every buildx run rewrites `current` with the same content");
    }

    [Fact]
    public async Task The_shared_answer_expires_like_the_state_directorys()
    {
        await OnFreshState().ListAsync(CancellationToken.None);
        _time.Advance(BuilderPlatforms.CacheDuration + TimeSpan.FromSeconds(1));

        await OnFreshState().ListAsync(CancellationToken.None);

        InspectCalls().ShouldBe(2);
    }

    public void Dispose()
    {
        _docker.Dispose();
        _root.Dispose();
    }

    private BuilderPlatforms OnFreshState()
    {
        var options = Options.Create(new BuilderOptions
        {
            StateDirectory = _root.Combine($"state-{Guid.NewGuid():N}"), CacheDirectory = _root.Combine("cache"), DockerPath = _docker.ExecutablePath,
        });
        var identity = new BuilderIdentity(_root.Combine("docker"), _root.Combine("buildx"), _root.Combine("binfmt"), _root.Combine("docker.sock"));
        return new BuilderPlatforms(new DockerCli(options), options, _time, identity);
    }

    private int InspectCalls() => _docker.Calls.Count(c => c.StartsWith("CALL <buildx> <inspect>", StringComparison.Ordinal));
}

using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>
/// polyarch/invoker and polyarch/builder as scripts/images.sh builds them: one index with linux/amd64 and linux/arm64
/// (arm64 runs under QEMU here), each variant reports its version, runs as a non-root user and carries the OCI
/// annotations; the invoker image runs an action through the mounted engine socket.
/// </summary>
[Collection(HostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ServiceImageTests
{
    public static TheoryData<string, string, string> Variants => new()
    {
        { "invoker", "linux/amd64", "x86_64" },
        { "invoker", "linux/arm64", "aarch64" },
        { "builder", "linux/amd64", "x86_64" },
        { "builder", "linux/arm64", "aarch64" },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public async Task Each_variant_reports_its_version_on_its_own_architecture(string component, string platform, string machine)
    {
        var image = await ServiceImages.EnsureAsync(component);

        var version = await DockerRun.RunAsync(image, platform, ["--version"]);
        var uname = await DockerRun.RunAsync(image, platform, ["-m"], entrypoint: "uname");
        var id = await DockerRun.RunAsync(image, platform, ["-u"], entrypoint: "id");

        version.ExitCode.ShouldBe(0, version.StandardError);
        version.StandardOutput.Trim().ShouldMatch(@"^\d+\.\d+\.\d+");
        uname.StandardOutput.Trim().ShouldBe(machine);
        id.StandardOutput.Trim().ShouldBe("10001", "the services run as a non-root user");
    }

    [Theory]
    [InlineData("invoker")]
    [InlineData("builder")]
    public async Task The_index_has_amd64_and_arm64_and_the_oci_annotations(string component)
    {
        var image = await ServiceImages.EnsureAsync(component);

        using var index = await ServiceImages.RawIndexAsync(image);

        (await ServiceImages.ArchitecturesAsync(image)).ShouldBe(["amd64", "arm64"], "no .NET runtime pack for ppc64le");
        var annotations = index.RootElement.GetProperty("annotations");
        annotations.GetProperty("org.opencontainers.image.revision").GetString()!.ShouldMatch("^[0-9a-f]{40}$");
        annotations.GetProperty("org.opencontainers.image.source").GetString().ShouldNotBeNullOrWhiteSpace();
        DateTimeOffset.Parse(annotations.GetProperty("org.opencontainers.image.created").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("linux/amd64")]
    [InlineData("linux/arm64")]
    public async Task The_invoker_image_invokes_the_echo_action_through_the_mounted_socket(string actionPlatform)
    {
        var image = await ServiceImages.EnsureAsync("invoker");
        var echo = await EchoImage.EnsureAsync();

        var run = await DockerRun.RunAsync(
            image, "linux/amd64", ["invoke", echo, "--platform", actionPlatform, "-p", $"run={TestRun.Id}", "--output", "json"], withSocket: true,
            // The invoker learns which platforms the engine emulates from binfmt_misc, which a container does not have
            // mounted: the host's, read-only, where Docker:BinfmtDirectory points.
            extra: ["-v", "/proc/sys/fs/binfmt_misc:/host/binfmt_misc:ro", "-e", "POLYARCH_Docker__BinfmtDirectory=/host/binfmt_misc"]);

        run.ExitCode.ShouldBe(0, run.StandardOutput + run.StandardError);
        using var record = JsonDocument.Parse(run.StandardOutput);
        record.RootElement.GetProperty("status").GetString().ShouldBe("success");
        record.RootElement.GetProperty("platform").GetString().ShouldBe(actionPlatform);
        record.RootElement.GetProperty("result").GetRawText().ShouldContain(TestRun.Id);
        record.RootElement.GetProperty("emulated").GetBoolean().ShouldBe(actionPlatform != "linux/amd64");
    }

    [Fact]
    public async Task The_builder_image_builds_a_three_platform_repository_through_the_mounted_socket_into_a_verified_index()
    {
        var image = await ServiceImages.EnsureAsync("builder");
        var source = Directory.CreateTempSubdirectory("polyarch-image-build-");
        try
        {
            File.WriteAllText(Path.Combine(source.FullName, "Dockerfile"), $"""
                FROM {HostSettings.BaseImage}
                RUN uname -m > /built-on
                CMD ["cat", "/built-on"]
                """);
            string[][] steps = [["init", "-q", "-b", "main"], ["add", "Dockerfile"], ["-c", "user.name=t", "-c", "user.email=t@polyarch.invalid", "commit", "-qm", "image test"]];
            foreach (var git in steps)
            {
                await Cli.Wrap("git").WithArguments(git).WithWorkingDirectory(source.FullName).ExecuteAsync();
            }

            var commit = (await Cli.Wrap("git").WithArguments(["rev-parse", "HEAD"]).WithWorkingDirectory(source.FullName).ExecuteBufferedAsync()).StandardOutput.Trim();

            // The image's user (10001) must own the repository it reads: git refuses a repository owned by someone else.
            await Cli.Wrap("chown").WithArguments(["-R", "10001:10001", source.FullName]).ExecuteAsync();
            var repository = $"test/image-builder-{TestRun.Id}";

            var build = await DockerRun.RunAsync(
                image, "linux/amd64",
                ["build", "/src", "--registry", HostSettings.Registry, "--repository", repository, "--platforms", string.Join(',', HostSettings.Platforms), "--output", "json"],
                withSocket: true, extra: ["-v", $"{source.FullName}:/src:ro"]);

            build.ExitCode.ShouldBe(0, build.StandardOutput + build.StandardError);
            var pushed = $"{HostSettings.Registry}/{repository}:{commit[..12]}";
            (await ServiceImages.ArchitecturesAsync(pushed)).ShouldBe(["amd64", "arm64", "ppc64le"]);
        }
        finally
        {
            source.Delete(recursive: true);
        }
    }

    /// <summary>examples/echo in the host registry (the `echo` bake target FROM polyarch/busybox), pushed if missing.</summary>
    private static class EchoImage
    {
        private static readonly Lazy<Task<string>> Image = new(EnsureOnceAsync);

        public static Task<string> EnsureAsync() => Image.Value;

        private static async Task<string> EnsureOnceAsync()
        {
            var image = $"{HostSettings.Registry}/demo/echo:latest";
            var inspect = await Cli.Wrap(HostSettings.DockerCli).WithArguments(["buildx", "imagetools", "inspect", image])
                .WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
            if (inspect.ExitCode != 0)
            {
                await Cli.Wrap("bash").WithArguments([RepositoryRoot.Combine("scripts", "base-image.sh"), "ensure"]).ExecuteBufferedAsync();
                await Cli.Wrap(HostSettings.DockerCli)
                    .WithArguments(["buildx", "bake", "--file", RepositoryRoot.Combine("docker-bake.hcl"), "--push", "echo"])
                    .WithWorkingDirectory(RepositoryRoot.Path)
                    .WithEnvironmentVariables(e => e.Set("REGISTRY", HostSettings.Registry))
                    .ExecuteBufferedAsync();
            }

            return image;
        }
    }
}

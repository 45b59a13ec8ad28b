using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>The container host end to end: buildx + QEMU build three platforms, the registry stores one index, the engine runs each variant.</summary>
[Collection(HostCollection.Name)]
[Trait("Category", "Integration")]
public sealed class MultiArchSmokeTests(RegistryFixture fixture)
{
    public static TheoryData<string, string> Platforms => new()
    {
        { "linux/amd64", "x86_64" },
        { "linux/arm64", "aarch64" },
        { "linux/ppc64le", "ppc64le" },
    };

    [Theory]
    [MemberData(nameof(Platforms))]
    public async Task I_can_build_three_platforms_from_the_local_base_and_run_each_variant(string platform, string machine)
    {
        var image = await BuildImageAsync();

        var result = await Engine.RunAsync(image, platform);

        result.ExitCode.ShouldBe(0, result.StandardError);
        var lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // Line 1: uname -m recorded by the RUN step at build time (under QEMU for foreign platforms);
        // line 2: uname -m now, at run time.
        lines.ShouldBe([$"built on {machine}", machine]);
    }

    private static readonly Lock Gate = new();
    private static Task<string>? _image;

    // The three theory cases share one build: the image is built and pushed once per test run.
    private Task<string> BuildImageAsync()
    {
        lock (Gate)
        {
            return _image ??= BuildOnceAsync(fixture);
        }
    }

    private static async Task<string> BuildOnceAsync(RegistryFixture fixture)
    {
        var context = Buildx.CreateContext(new Dictionary<string, string>
        {
            ["Dockerfile"] = """
                ARG BASE_IMAGE
                FROM ${BASE_IMAGE}
                RUN echo "built on $(uname -m)" > /built-on
                CMD ["/bin/sh", "-c", "cat /built-on; uname -m"]
                """,
        });
        try
        {
            var image = $"{fixture.Address}/smoke/uname:{TestRun.Id}";
            await Buildx.BuildAndPushAsync(
                context, image, HostSettings.Platforms, new Dictionary<string, string> { ["BASE_IMAGE"] = HostSettings.BaseImage });
            return image;
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }
}

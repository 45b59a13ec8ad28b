using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>
/// The images the registry tests read, built once per test run with the real buildx into the collection's
/// registry: a 3-platform buildx image (OCI index with attestations), three per-architecture images in
/// another repository (amd64 and arm64 as buildx's default one-image index, ppc64le as a single Docker v2
/// manifest), and a Docker-media-type 3-platform list whose children stand in for `docker manifest create`.
/// </summary>
internal sealed record TestImages(ImageReference MultiArch, IReadOnlyList<ImageReference> PerArch, ImageReference DockerList)
{
    private static readonly Lock Gate = new();
    private static Task<TestImages>? _images;

    public static Task<TestImages> GetAsync(RegistryFixture fixture)
    {
        lock (Gate)
        {
            return _images ??= BuildAsync(fixture.Address);
        }
    }

    private static async Task<TestImages> BuildAsync(string registry)
    {
        var context = Buildx.CreateContext(new Dictionary<string, string>
        {
            ["Dockerfile"] = """
                ARG BASE_IMAGE
                FROM ${BASE_IMAGE}
                LABEL io.polyarch.test=registry
                CMD ["uname", "-m"]
                """,
        });
        try
        {
            var multi = ImageReference.Parse($"{registry}/it/uname:v1");
            await BuildAsync(context, multi, string.Join(',', HostSettings.Platforms));
            var perArch = new List<ImageReference>();
            foreach (var arch in new[] { "amd64", "arm64" })
            {
                var reference = ImageReference.Parse($"{registry}/it/arch:{arch}");
                await BuildAsync(context, reference, $"linux/{arch}");
                perArch.Add(reference);
            }

            var ppc = ImageReference.Parse($"{registry}/it/arch:ppc64le");
            await BuildAsync(context, ppc, "linux/ppc64le", dockerMediaTypes: true);
            perArch.Add(ppc);
            var dockerList = ImageReference.Parse($"{registry}/it/docker:multi");
            await BuildAsync(context, dockerList, string.Join(',', HostSettings.Platforms), dockerMediaTypes: true);
            return new TestImages(multi, perArch, dockerList);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }
    }

    private static async Task BuildAsync(string context, ImageReference image, string platforms, bool dockerMediaTypes = false)
    {
        List<string> arguments =
        [
            "buildx", "build", "--platform", platforms, "--progress", "plain",
            "--build-arg", $"BASE_IMAGE={HostSettings.BaseImage}",
            "--label", $"{TestRun.LabelKey}={TestRun.Id}",
        ];
        arguments.AddRange(dockerMediaTypes
            ? ["--provenance=false", "--output", $"type=image,name={image},push=true,oci-mediatypes=false"]
            : ["--tag", image.ToString(), "--push"]);
        arguments.AddRange(["--", context]);
        await Polyarch.Testing.Buildx.RunPushingAsync(arguments);
    }
}

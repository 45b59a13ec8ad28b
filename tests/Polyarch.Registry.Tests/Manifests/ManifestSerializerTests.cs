using System.Text;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;
using Polyarch.Registry.Tests.Oci;

namespace Polyarch.Registry.Tests.Manifests;

public sealed class ManifestSerializerTests
{
    [Fact]
    public void Serialize_Index_IsSchemaValidReadableJsonThatRoundTrips()
    {
        var index = new ImageIndex
        {
            MediaType = MediaTypes.OciIndex,
            Manifests =
            [
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute([1]), Size = 670, Platform = Platform.Parse("linux/arm/v7") },
                new Descriptor { MediaType = MediaTypes.OciManifest, Digest = Digest.Compute([2]), Size = 670, Platform = Platform.Linux("ppc64el") },
            ],
            Annotations = new Dictionary<string, string> { [Annotations.Revision] = "0123456789ab" },
        };

        var bytes = ManifestSerializer.Serialize(index);
        var text = Encoding.UTF8.GetString(bytes);
        var parsed = ManifestDocument.Parse(bytes, null, "test").Index!;

        OciSchemaValidator.ValidateIndex(bytes).ShouldBeEmpty();
        text.ShouldContain("\"mediaType\": \"application/vnd.oci.image.index.v1+json\"");
        text.ShouldNotContain("\"artifactType\"");
        text.ShouldContain("\"variant\": \"v7\"");
        parsed.Manifests.Select(m => m.Platform).ShouldBe([Platform.Parse("linux/arm/v7"), Platform.Linux("ppc64le")]);
        parsed.Manifests.Select(m => m.Digest).ShouldBe(index.Manifests.Select(m => m.Digest));
    }
}

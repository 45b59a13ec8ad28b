namespace Polyarch.Registry.Tests.Oci;

public sealed class OciSchemaTests
{
    [Theory]
    [InlineData("buildx-oci-index-with-attestations.json")]
    [InlineData("docker-manifest-create-list.json")]
    public void RealIndexes_Validate(string file) =>
        OciSchemaValidator.ValidateIndex(FixturePaths.Manifest(file)).ShouldBeEmpty();

    [Theory]
    [InlineData("buildx-oci-image-amd64-manifest.json")]
    [InlineData("buildx-oci-attestation-2d1539e21dc3-manifest.json")]
    public void RealManifests_Validate(string file) =>
        OciSchemaValidator.ValidateManifest(FixturePaths.Manifest(file)).ShouldBeEmpty();

    [Theory]
    [InlineData("""{"schemaVersion":1,"manifests":[]}""")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"not a digest","size":1}]}""")]
    [InlineData("""{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":1}]}""")]
    [InlineData("""{"schemaVersion":2}""")]
    public void BrokenIndexes_AreRejected(string json) =>
        OciSchemaValidator.ValidateIndex(System.Text.Encoding.UTF8.GetBytes(json)).ShouldNotBeEmpty();
}

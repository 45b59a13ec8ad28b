using System.Text;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Registry.Tests.Client;

namespace Polyarch.Registry.Tests.Artifacts;

/// <summary>A registry that has the referrers API (distribution 3, zot, Harbor): it is asked first and the fallback tag is left alone.</summary>
public sealed class ReferrersApiTests
{
    private static readonly Digest Subject = Digest.Compute("subject"u8);

    [Fact]
    public async Task ListReferrers_RegistryWithTheApi_AnswersFromIt_FiltersByType_AndNeverReadsTheFallbackTag()
    {
        using var host = new RegistryTestHost();
        var model = Digest.Compute("model"u8);
        var signature = Digest.Compute("signature"u8);
        host.Handler.Serve($"/v2/demo/digits/referrers/{Subject}", Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{model}}","size":10,"artifactType":"application/vnd.polyarch.step-result.v1+json"},
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{signature}}","size":11,"artifactType":"application/vnd.example.signature.v1"}]}
            """), MediaTypes.OciIndex);
        var subject = ImageReference.Parse($"127.0.0.1:5000/demo/digits@{Subject}");

        var all = await host.Artifacts.ListReferrersAsync(subject);
        var models = await host.Artifacts.ListReferrersAsync(subject, "application/vnd.polyarch.step-result.v1+json");

        all.Select(d => d.Digest).ShouldBe([model, signature]);
        models.ShouldHaveSingleItem().Digest.ShouldBe(model);
        host.Handler.Requests.ShouldContain(r => r.Uri.Query == "?artifactType=application%2Fvnd.polyarch.step-result.v1%2Bjson");
        host.Handler.Requests.ShouldNotContain(r => r.Uri.AbsolutePath.Contains("/manifests/sha256-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListReferrers_RegistryWithoutTheApi_ReadsTheReferrersTagIndex()
    {
        using var host = new RegistryTestHost();
        var model = Digest.Compute("model"u8);
        host.Handler.AddManifest("demo/digits", "sha256-" + Subject.Hex, Encoding.UTF8.GetBytes($$"""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[
              {"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"{{model}}","size":10,"artifactType":"application/vnd.polyarch.step-result.v1+json"}]}
            """), MediaTypes.OciIndex);

        var all = await host.Artifacts.ListReferrersAsync(ImageReference.Parse($"127.0.0.1:5000/demo/digits@{Subject}"));

        all.ShouldHaveSingleItem().Digest.ShouldBe(model);
        host.Handler.Requests.First().Uri.AbsolutePath.ShouldBe($"/v2/demo/digits/referrers/{Subject}");
    }
}

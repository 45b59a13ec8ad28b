using System.Net;
using System.Text;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Tests.Client;

/// <summary>DELETE of a manifest: 202 deleted, 404 absent, a refusal (405 UNSUPPORTED, distribution 2.8's 400 for a tag) an error with its status.</summary>
public sealed class RegistryClientDeleteTests
{
    private static readonly byte[] Index = FixturePaths.Manifest("buildx-oci-index-with-attestations.json");

    private static Func<HttpRequestMessage, HttpResponseMessage?> Answer(HttpStatusCode status, string? body = null) => request =>
        request.Method == HttpMethod.Delete
            ? new HttpResponseMessage(status) { Content = new StringContent(body ?? "", Encoding.UTF8, "application/json") }
            : null;

    [Fact]
    public async Task Delete_202_IsDeletedByTheManifestUrl()
    {
        using var host = new RegistryTestHost();
        var digest = host.Handler.AddManifest("demo/echo", "v2", Index, MediaTypes.OciIndex);
        host.Handler.Fault(Answer(HttpStatusCode.Accepted));

        var deleted = await host.Client.DeleteManifestAsync(ImageReference.Parse($"127.0.0.1:5000/demo/echo@{digest}"));

        deleted.ShouldBeTrue();
        var request = host.Handler.Requests.ShouldHaveSingleItem();
        request.Method.ShouldBe(HttpMethod.Delete);
        request.Uri.AbsolutePath.ShouldBe($"/v2/demo/echo/manifests/{digest}");
    }

    [Fact]
    public async Task Delete_404_IsFalse()
    {
        using var host = new RegistryTestHost();
        host.Handler.Fault(Answer(HttpStatusCode.NotFound, """{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}"""));

        (await host.Client.DeleteManifestAsync(ImageReference.Parse("127.0.0.1:5000/demo/echo@sha256:" + new string('0', 64)))).ShouldBeFalse();
    }

    [Theory]
    [InlineData(HttpStatusCode.MethodNotAllowed, """{"errors":[{"code":"UNSUPPORTED","message":"The operation is unsupported."}]}""", "UNSUPPORTED")]
    [InlineData(HttpStatusCode.BadRequest, """{"errors":[{"code":"DIGEST_INVALID","message":"provided digest did not match uploaded content"}]}""", "DIGEST_INVALID")]
    public async Task Delete_refused_throws_with_the_status_and_the_registry_error(HttpStatusCode status, string body, string code)
    {
        using var host = new RegistryTestHost();
        host.Handler.Fault(Answer(status, body));

        var exception = await Should.ThrowAsync<RegistryRequestException>(() => host.Client.DeleteManifestAsync(ImageReference.Parse("127.0.0.1:5000/demo/echo:staging")));

        exception.StatusCode.ShouldBe(status);
        exception.RegistryError.ShouldNotBeNull().ShouldContain(code);
    }

    [Fact]
    public async Task Delete_of_a_tag_forgets_what_the_cache_knew_about_it()
    {
        using var host = new RegistryTestHost();
        host.Handler.AddManifest("demo/echo", "v2", Index, MediaTypes.OciIndex);
        var tag = ImageReference.Parse("127.0.0.1:5000/demo/echo:v2");
        await host.Client.GetManifestAsync(tag);
        await host.Client.GetManifestAsync(tag);
        host.Handler.Requests.Count.ShouldBe(1, "a fresh tag answer is served from the cache");
        host.Handler.Fault(Answer(HttpStatusCode.Accepted));

        await host.Client.DeleteManifestAsync(tag);
        await host.Client.GetManifestAsync(tag);

        host.Handler.Requests.Count(r => r.Method == HttpMethod.Get).ShouldBe(2);
    }
}

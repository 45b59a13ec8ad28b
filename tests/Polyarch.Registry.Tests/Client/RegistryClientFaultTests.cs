using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Client;

public sealed class RegistryClientFaultTests
{
    private static readonly byte[] Index = FixturePaths.Manifest("buildx-oci-index-with-attestations.json");
    private static readonly ImageReference Echo = ImageReference.Parse("127.0.0.1:5000/demo/echo:v2");

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task Get_503ThenOk_IsRetried(RegistryHttpPipeline pipeline)
    {
        using var host = new RegistryTestHost(pipeline: pipeline);
        host.Handler.AddManifest("demo/echo", "v2", Index, MediaTypes.OciIndex);
        host.Handler.Fault(HttpStatusCode.ServiceUnavailable);

        var document = await host.Client.GetManifestAsync(Echo);

        document!.Digest.ShouldBe(Digest.Compute(Index));
        host.Handler.Requests.Count.ShouldBe(2);
    }

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task Get_429WithRetryAfter_WaitsWhatTheRegistrySays(RegistryHttpPipeline pipeline)
    {
        using var host = new RegistryTestHost(pipeline: pipeline);
        host.Handler.AddManifest("demo/echo", "v2", Index, MediaTypes.OciIndex);
        host.Handler.Fault(HttpStatusCode.TooManyRequests, r => r.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1)));

        var document = await host.Client.GetManifestAsync(Echo);

        document.ShouldNotBeNull();
        host.Handler.Requests.Count.ShouldBe(2);
        var retry = host.Logs.GetSnapshot().Where(r => r.Id.Id == 3001).ShouldHaveSingleItem();
        retry.StructuredState!.ShouldContain(new KeyValuePair<string, string?>("RetryDelay", "00:00:01"));
    }

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task Get_503Always_IsUnavailableNamingTheStatus(RegistryHttpPipeline pipeline)
    {
        using var host = new RegistryTestHost(configure: o => o.MaxRetries = 2, pipeline: pipeline);
        for (var i = 0; i < 3; i++)
        {
            host.Handler.Fault(HttpStatusCode.ServiceUnavailable);
        }

        var exception = await Should.ThrowAsync<RegistryUnavailableException>(() => host.Client.GetManifestAsync(Echo));

        exception.Message.ShouldContain("503");
        exception.Message.ShouldContain("http://127.0.0.1:5000/");
        host.Handler.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Get_401Bearer_FetchesATokenWithCredentialsAndRetries()
    {
        using var host = new RegistryTestHost(configure: o => o.Credentials["127.0.0.1:5000"] = new RegistryCredential { Username = "u", Password = "p" });
        host.Handler.AddManifest("demo/echo", "v2", Index, MediaTypes.OciIndex);
        host.Handler.Fault(_ => Challenge("""Bearer realm="http://127.0.0.1:5001/token",service="registry",scope="repository:demo/echo:pull,push" """));
        host.Handler.Fault(request => request.RequestUri!.AbsolutePath == "/token"
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"token":"t0ken","expires_in":300}""") }
            : null);

        var document = await host.Client.GetManifestAsync(Echo);
        await host.Client.GetManifestAsync(Echo.WithTag("other"));

        document.ShouldNotBeNull();
        var requests = host.Handler.Requests.ToArray();
        requests[1].Uri.ToString().ShouldBe("http://127.0.0.1:5001/token?scope=repository%3Ademo%2Fecho%3Apull%2Cpush&service=registry");
        requests[1].Authorization!.ToString().ShouldBe("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:p")));
        requests[2].Authorization!.ToString().ShouldBe("Bearer t0ken");
        // The token is reused for the repository without another challenge.
        requests[3].Authorization!.ToString().ShouldBe("Bearer t0ken");
        requests.Length.ShouldBe(4);
    }

    [Fact]
    public async Task Get_401Basic_SendsTheConfiguredCredentials()
    {
        using var host = new RegistryTestHost(configure: o => o.Credentials["127.0.0.1:5000"] = new RegistryCredential { Username = "u", Password = "p" });
        host.Handler.AddManifest("demo/echo", "v2", Index, MediaTypes.OciIndex);
        host.Handler.Fault(_ => Challenge("""Basic realm="registry" """));

        (await host.Client.GetManifestAsync(Echo)).ShouldNotBeNull();

        host.Handler.Requests.Last().Authorization!.Scheme.ShouldBe("Basic");
    }

    [Fact]
    public async Task Get_401WithoutCredentials_SaysHowToLogIn()
    {
        using var host = new RegistryTestHost();
        host.Handler.Fault(_ => Challenge("""Basic realm="registry" """));

        var exception = await Should.ThrowAsync<RegistryRequestException>(() => host.Client.GetManifestAsync(Echo));

        exception.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        exception.Message.ShouldContain("docker login 127.0.0.1:5000");
    }

    [Fact]
    public async Task GetByDigest_BodyNotMatchingDigest_IsRejected()
    {
        using var host = new RegistryTestHost();
        var digest = Digest.Compute(Index);
        host.Handler.Serve($"/v2/demo/echo/manifests/{digest}", FixturePaths.Manifest("docker-manifest-create-list.json"), MediaTypes.DockerManifestList);

        var exception = await Should.ThrowAsync<ContentDigestMismatchException>(() => host.Client.GetManifestAsync(Echo.WithDigest(digest)));

        exception.Expected.ShouldBe(digest);
        exception.Message.ShouldContain($"/v2/demo/echo/manifests/{digest}");
    }

    [Fact]
    public async Task GetBlob_BodyNotMatchingDigest_IsRejected()
    {
        using var host = new RegistryTestHost();
        var digest = Digest.Compute("the real config"u8);
        host.Handler.Serve($"/v2/demo/echo/blobs/{digest}", "tampered"u8.ToArray(), "application/octet-stream");

        await Should.ThrowAsync<ContentDigestMismatchException>(async () => await host.Client.GetBlobAsync(Echo, digest));
    }

    [Fact]
    public async Task GetByTag_DockerContentDigestDisagreeingWithBody_IsRejected()
    {
        using var host = new RegistryTestHost();
        host.Handler.Fault(_ =>
        {
            var response = new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(Index) };
            response.Headers.TryAddWithoutValidation("Docker-Content-Digest", Digest.Compute("other"u8).ToString());
            return response;
        });

        var exception = await Should.ThrowAsync<ContentDigestMismatchException>(() => host.Client.GetManifestAsync(Echo));

        exception.Message.ShouldContain("Docker-Content-Digest");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Get_ManifestOver4MiB_IsRejected(bool announceLength)
    {
        using var host = new RegistryTestHost();
        host.Handler.Fault(_ =>
        {
            var content = new StreamContent(new MemoryStream(new byte[(4 * 1024 * 1024) + 1]));
            if (!announceLength)
            {
                content.Headers.ContentLength = null;
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = announceLength ? new ByteArrayContent(new byte[(4 * 1024 * 1024) + 1]) : content };
        });

        var exception = await Should.ThrowAsync<ContentTooLargeException>(() => host.Client.GetManifestAsync(Echo));

        exception.Limit.ShouldBe(4 * 1024 * 1024);
    }

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task Get_RegistryDown_NamesTheUrlAndSaysUnreachable(RegistryHttpPipeline pipeline)
    {
        var port = TestPorts.FreePort();
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry(o => { o.MaxRetries = 1; o.RetryBaseDelay = TimeSpan.Zero; o.UseDockerConfig = false; }, pipeline);
        using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IRegistryClient>();

        var exception = await Should.ThrowAsync<RegistryUnavailableException>(
            () => client.GetManifestAsync(ImageReference.Parse($"127.0.0.1:{port}/demo/echo:v2")));

        exception.Registry.ShouldBe(new Uri($"http://127.0.0.1:{port}/"));
        exception.Message.ShouldStartWith($"The registry http://127.0.0.1:{port}/ is unreachable");
    }

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task Get_NotFound_IsNull(RegistryHttpPipeline pipeline)
    {
        using var host = new RegistryTestHost(pipeline: pipeline);

        (await host.Client.GetManifestAsync(Echo)).ShouldBeNull();
        (await host.Client.HeadManifestAsync(Echo)).ShouldBeNull();
        (await host.Client.BlobExistsAsync(Echo, Digest.Compute([]))).ShouldBeFalse();
        (await host.Client.ListTagsAsync(Echo)).ShouldBeNull();
    }

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task Get_AnAttemptWithoutAnswer_IsCutAtTheAttemptTimeoutAndRetried(RegistryHttpPipeline pipeline)
    {
        using var host = new RegistryTestHost(configure: o => o.AttemptTimeout = TimeSpan.FromMilliseconds(300), pipeline: pipeline);
        host.Handler.AddManifest("demo/echo", "v2", Index, MediaTypes.OciIndex);
        host.Handler.FaultNoAnswer();

        var document = await host.Client.GetManifestAsync(Echo);

        document!.Digest.ShouldBe(Digest.Compute(Index));
        host.Handler.Requests.Count.ShouldBe(2);
        host.Logs.GetSnapshot().ShouldContain(r => r.Id.Id == 3001);
    }

    [Fact]
    public async Task Get_OneShot_EveryAttemptWithoutAnswer_IsUnavailableSayingNotInTime()
    {
        using var host = new RegistryTestHost(configure: o => { o.AttemptTimeout = TimeSpan.FromMilliseconds(200); o.MaxRetries = 1; }, pipeline: RegistryHttpPipeline.OneShot);
        host.Handler.FaultNoAnswer();
        host.Handler.FaultNoAnswer();

        var exception = await Should.ThrowAsync<RegistryUnavailableException>(() => host.Client.GetManifestAsync(Echo));

        exception.Message.ShouldContain("did not succeed in time");
        exception.Message.ShouldContain("no answer within 00:00:00.2");
        host.Handler.Requests.Count.ShouldBe(2);
    }

    private static HttpResponseMessage Challenge(string header)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue(header[..space], header[(space + 1)..].Trim()));
        return response;
    }
}

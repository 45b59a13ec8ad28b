using System.Net;
using System.Net.Http.Headers;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Client;

/// <summary>
/// Identity tokens (config.json "identitytoken", or a credential helper's Username "&lt;token&gt;") are exchanged at the token
/// endpoint by the OAuth2 refresh-token grant of the distribution token spec. No token server is installable here, so the
/// registry and its token endpoint are the fake handler; the credential helper is a real process.
/// </summary>
public sealed class IdentityTokenTests : IDisposable
{
    private static readonly byte[] Index = FixturePaths.Manifest("buildx-oci-index-with-attestations.json");
    private static readonly ImageReference Echo = ImageReference.Parse("127.0.0.1:5000/demo/echo:v2");

    private readonly TestCredentialHelper _helper = new();
    private readonly string _config = Directory.CreateTempSubdirectory("polyarch-docker-config-").FullName;

    [Fact]
    public async Task Get_401Bearer_WithIdentityTokenFromCredentialHelper_UsesTheRefreshTokenGrant()
    {
        _helper.Seed("127.0.0.1:5000", "<token>", "refresh-from-helper");
        await File.WriteAllTextAsync(Path.Combine(_config, "config.json"), $$$"""{"credHelpers":{"127.0.0.1:5000":"{{{_helper.Name}}}"}}""");
        var form = await GetWithTokenEndpointAsync();

        form["grant_type"].ShouldBe("refresh_token");
        form["refresh_token"].ShouldBe("refresh-from-helper");
        form["service"].ShouldBe("registry");
        form["scope"].ShouldBe("repository:demo/echo:pull");
        form["client_id"].ShouldBe("polyarch");
        _helper.Calls.ShouldBe(["get 127.0.0.1:5000"]);
    }

    [Fact]
    public async Task Get_401Bearer_WithIdentityTokenFromAuths_UsesTheRefreshTokenGrant()
    {
        await File.WriteAllTextAsync(Path.Combine(_config, "config.json"), """{"auths":{"127.0.0.1:5000":{"auth":"dTo=","identitytoken":"refresh-from-auths"}}}""");
        var form = await GetWithTokenEndpointAsync();

        form["grant_type"].ShouldBe("refresh_token");
        form["refresh_token"].ShouldBe("refresh-from-auths");
    }

    public void Dispose()
    {
        _helper.Dispose();
        Directory.Delete(_config, recursive: true);
    }

    private async Task<Dictionary<string, string>> GetWithTokenEndpointAsync()
    {
        using var host = new RegistryTestHost(configure: o =>
        {
            o.UseDockerConfig = true;
            o.DockerConfigPath = Path.Combine(_config, "config.json");
            o.CredentialHelperDirectory = _helper.Directory;
        });
        host.Handler.AddManifest("demo/echo", "v2", Index, MediaTypes.OciIndex);
        host.Handler.Fault(_ => Challenge("""Bearer realm="http://127.0.0.1:5001/token",service="registry",scope="repository:demo/echo:pull" """));
        var form = new Dictionary<string, string>();
        host.Handler.Fault(request =>
        {
            if (request.Method != HttpMethod.Post || request.RequestUri!.AbsolutePath != "/token")
            {
                return null;
            }

            foreach (var pair in request.Content!.ReadAsStringAsync().GetAwaiter().GetResult().Split('&'))
            {
                var parts = pair.Split('=', 2);
                form[Uri.UnescapeDataString(parts[0])] = Uri.UnescapeDataString(parts[1].Replace('+', ' '));
            }

            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("""{"access_token":"acc3ss","expires_in":300}""") };
        });

        var document = await host.Client.GetManifestAsync(Echo);

        document.ShouldNotBeNull();
        host.Handler.Requests.Last().Authorization!.ToString().ShouldBe("Bearer acc3ss");
        return form;
    }

    private static HttpResponseMessage Challenge(string header)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized) { Content = new StringContent("""{"errors":[{"code":"UNAUTHORIZED","message":"authentication required"}]}""") };
        var space = header.IndexOf(' ', StringComparison.Ordinal);
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue(header[..space], header[(space + 1)..].Trim()));
        return response;
    }
}

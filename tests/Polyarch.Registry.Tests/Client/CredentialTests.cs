using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Auth;
using Polyarch.Registry.Client;

namespace Polyarch.Registry.Tests.Client;

public sealed class CredentialTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-docker-config-").FullName;

    [Fact]
    public void Find_ReadsDockerConfigAuths_OptionsWin()
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, $$"""
            {"auths":{
              "reg.lan:30501":{"auth":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:s3cr:et"))}}"},
              "https://other.lan:5000/v1/":{"username":"bob","password":"pw"},
              "https://index.docker.io/v1/":{"auth":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes("hub:pw"))}}"},
              "configured.lan":{"auth":"{{Convert.ToBase64String(Encoding.UTF8.GetBytes("file:pw"))}}"}
            }
            }
            """);
        var options = new RegistryOptions { DockerConfigPath = path };
        options.Credentials["configured.lan"] = new RegistryCredential { Username = "opt", Password = "pw" };

        var store = new CredentialStore(Options.Create(options), NullLogger<CredentialStore>.Instance);

        store.Find("reg.lan:30501")!.Password.ShouldBe("s3cr:et");
        store.Find("other.lan:5000")!.Username.ShouldBe("bob");
        store.Find("docker.io")!.Username.ShouldBe("hub");
        store.Find("configured.lan")!.Username.ShouldBe("opt");
        store.Find("unknown.lan").ShouldBeNull();
        store.Find("configured.lan")!.ToString().ShouldNotContain("pw");
    }

    [Fact]
    public void Find_BrokenDockerConfig_IsNoCredentials()
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, "{ not json");

        new CredentialStore(Options.Create(new RegistryOptions { DockerConfigPath = path }), NullLogger<CredentialStore>.Instance)
            .Find("reg.lan").ShouldBeNull();
    }

    [Theory]
    [InlineData("""realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push" """, "https://auth.example/token", "registry.example", "repository:a/b:pull,push")]
    [InlineData("""realm=https://auth.example/token, service=reg""", "https://auth.example/token", "reg", null)]
    public void AuthChallenge_ParsesQuotedParametersWithCommas(string parameters, string realm, string service, string? scope)
    {
        var challenge = AuthChallenge.Parse(new AuthenticationHeaderValue("Bearer", parameters.Trim()));

        challenge["realm"].ShouldBe(realm);
        challenge["service"].ShouldBe(service);
        challenge["scope"].ShouldBe(scope);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

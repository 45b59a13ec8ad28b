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
    public async Task Find_ReadsDockerConfigAuths_OptionsWin()
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

        var store = Store(options);

        (await store.FindAsync("reg.lan:30501"))!.Password.ShouldBe("s3cr:et");
        (await store.FindAsync("other.lan:5000"))!.Username.ShouldBe("bob");
        (await store.FindAsync("docker.io"))!.Username.ShouldBe("hub");
        (await store.FindAsync("configured.lan"))!.Username.ShouldBe("opt");
        (await store.FindAsync("unknown.lan")).ShouldBeNull();
        (await store.FindAsync("configured.lan"))!.ToString().ShouldNotContain("pw");
    }

    [Fact]
    public async Task Find_BrokenDockerConfig_IsNoCredentials_AndSaysSo()
    {
        var path = Path.Combine(_directory, "config.json");
        File.WriteAllText(path, "{ not json");

        var lookup = await Store(new RegistryOptions { DockerConfigPath = path }).LookupAsync("reg.lan", CancellationToken.None);

        lookup.Credential.ShouldBeNull();
        lookup.Advice.ShouldContain($"{path} (Registry:DockerConfigPath) (unreadable");
    }

    [Fact]
    public async Task Find_IdentityTokenInAuths_IsAnIdentityToken()
    {
        var path = Path.Combine(_directory, "config.json");
        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("alice:"));
        File.WriteAllText(path, "{\"auths\":{\"reg.lan\":{\"auth\":\"" + auth + "\",\"identitytoken\":\"refresh-me\"}}}");

        var credential = await Store(new RegistryOptions { DockerConfigPath = path }).FindAsync("reg.lan");

        credential!.IdentityToken.ShouldBe("refresh-me");
        credential.Username.ShouldBe("alice");
        credential.ToString().ShouldNotContain("refresh-me");
    }

    [Fact]
    public async Task Find_DockerConfigFileWritten_AfterStart_IsSeen()
    {
        var path = Path.Combine(_directory, "config.json");
        var store = Store(new RegistryOptions { DockerConfigPath = path });
        (await store.FindAsync("reg.lan")).ShouldBeNull();

        File.WriteAllText(path, """{"auths":{"reg.lan":{"username":"late","password":"pw"}}}""");

        (await store.FindAsync("reg.lan"))!.Username.ShouldBe("late");
    }

    [Theory]
    [InlineData(null, null, "/home/u/.docker/config.json", "the default; DOCKER_CONFIG is not set")]
    [InlineData(null, "/etc/polyarch/docker", "/etc/polyarch/docker/config.json", "DOCKER_CONFIG")]
    [InlineData("/srv/config.json", "/etc/polyarch/docker", "/srv/config.json", "Registry:DockerConfigPath")]
    public void DockerConfigLocation_RespectsDockerConfig_OptionWins(string? configured, string? dockerConfig, string path, string origin)
    {
        var location = DockerConfigLocation.Resolve(configured, name => name == "DOCKER_CONFIG" ? dockerConfig : null, "/home/u");

        location.Path.ShouldBe(path);
        location.Origin.ShouldBe(origin);
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

    private static CredentialStore Store(RegistryOptions options) =>
        new(Options.Create(options), new CredentialHelper(Options.Create(options), NullLogger<CredentialHelper>.Instance), NullLogger<CredentialStore>.Instance);
}

using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>The basic-auth challenge of a real registry, with credentials from options or ~/.docker/config.json.</summary>
[Trait("Category", "Integration")]
public sealed class BasicAuthTests(BasicAuthRegistry registry) : IClassFixture<BasicAuthRegistry>, IDisposable
{
    private readonly string _dockerConfig = Directory.CreateTempSubdirectory("polyarch-docker-config-").FullName;

    [Fact]
    public async Task PushAndPull_WithCredentialsFromOptions_AnswersTheChallenge()
    {
        using var provider = Services(o => o.Credentials[registry.Address] = new RegistryCredential { Username = BasicAuthRegistry.Username, Password = BasicAuthRegistry.Password });
        var client = provider.GetRequiredService<IRegistryClient>();
        var reference = ImageReference.Parse($"{registry.Address}/auth/tiny:v1");

        var digest = await PushTinyImageAsync(client, reference);
        var pulled = await client.GetManifestAsync(reference);

        pulled!.Digest.ShouldBe(digest);
        (await client.ListTagsAsync(reference))!.ShouldBe(["v1"]);
    }

    [Fact]
    public async Task Pull_WithCredentialsFromDockerConfig_AnswersTheChallenge()
    {
        using (var writer = Services(o => o.Credentials[registry.Address] = new RegistryCredential { Username = BasicAuthRegistry.Username, Password = BasicAuthRegistry.Password }))
        {
            await PushTinyImageAsync(writer.GetRequiredService<IRegistryClient>(), ImageReference.Parse($"{registry.Address}/auth/tiny:v2"));
        }

        var auth = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{BasicAuthRegistry.Username}:{BasicAuthRegistry.Password}"));
        var path = Path.Combine(_dockerConfig, "config.json");
        var config = new System.Text.Json.Nodes.JsonObject { ["auths"] = new System.Text.Json.Nodes.JsonObject { [registry.Address] = new System.Text.Json.Nodes.JsonObject { ["auth"] = auth } } };
        await File.WriteAllTextAsync(path, config.ToJsonString());
        using var provider = Services(o => { o.UseDockerConfig = true; o.DockerConfigPath = path; });

        var pulled = await provider.GetRequiredService<IRegistryClient>().GetManifestAsync(ImageReference.Parse($"{registry.Address}/auth/tiny:v2"));

        pulled.ShouldNotBeNull();
    }

    [Fact]
    public async Task Pull_WithoutCredentials_SaysHowToLogIn()
    {
        using var provider = Services(_ => { });

        var exception = await Should.ThrowAsync<RegistryRequestException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(ImageReference.Parse($"{registry.Address}/auth/tiny:v1")));

        exception.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        exception.Message.ShouldContain($"docker login {registry.Address}");
    }

    public void Dispose() => Directory.Delete(_dockerConfig, recursive: true);

    private static ServiceProvider Services(Action<RegistryOptions> configure)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry(o =>
        {
            o.UseDockerConfig = false;
            configure(o);
        });
        return services.BuildServiceProvider();
    }

    // A config blob and a manifest without layers: enough for the registry to store and serve it.
    internal static async Task<Digest> PushTinyImageAsync(IRegistryClient client, ImageReference reference)
    {
        var config = """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}"""u8.ToArray();
        var configDigest = Digest.Compute(config);
        await client.PushBlobAsync(reference, configDigest, config);
        var manifest = ManifestSerializer.Serialize(new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            Config = new Descriptor { MediaType = MediaTypes.OciConfig, Digest = configDigest, Size = config.Length },
        });
        return await client.PutManifestAsync(reference, manifest, MediaTypes.OciManifest);
    }
}

using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Tests.Support;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Publishing;

/// <summary>
/// The builder's registry client (as AddPolyarchBuilder wires it from the "Registry" section) tags on a real htpasswd
/// registry with credentials from the Docker config's credsStore helper, and says how to log in when there are none.
/// </summary>
[Trait("Category", "Integration")]
public sealed class AuthRegistryPublisherTests(BasicAuthRegistry registry) : IClassFixture<BasicAuthRegistry>, IDisposable
{
    private readonly TestCredentialHelper _helper = new();
    private readonly string _state = Directory.CreateTempSubdirectory("polyarch-builder-state-").FullName;

    [Fact]
    public async Task Tag_OnAnAuthRegistry_UsesTheCredentialHelperNamedByTheDockerConfig()
    {
        var digest = await PushTinyImageAsync("v1");
        _helper.Seed(registry.Address, BasicAuthRegistry.Username, BasicAuthRegistry.Password);
        using var builder = Builder();

        await builder.GetRequiredService<IImagePublisher>().TagAsync(registry.Address, "builder/tiny", digest.ToString(), ["main"], _ => { }, CancellationToken.None);

        using var reader = Writer();
        (await reader.GetRequiredService<IRegistryClient>().ListTagsAsync(ImageReference.Parse($"{registry.Address}/builder/tiny")))!.ShouldContain("main");
        _helper.Calls.ShouldContain($"get {registry.Address}");
    }

    [Fact]
    public async Task Tag_OnAnAuthRegistry_WithoutCredentials_SaysWhatWasTriedAndToLogIn()
    {
        var digest = await PushTinyImageAsync("v2");
        using var builder = Builder();

        var exception = await Should.ThrowAsync<BuildFailedException>(() =>
            builder.GetRequiredService<IImagePublisher>().TagAsync(registry.Address, "builder/tiny", digest.ToString(), ["main"], _ => { }, CancellationToken.None));

        exception.Message.ShouldContain($"No credentials for {registry.Address} were found (tried: Registry:Credentials (no entry)");
        exception.Message.ShouldContain($"docker-credential-{_helper.Name} (no credentials for {registry.Address})");
        exception.Message.ShouldContain($"`docker login {registry.Address}`");
    }

    public void Dispose()
    {
        _helper.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    private ServiceProvider Builder()
    {
        var config = Path.Combine(_state, "docker-config.json");
        File.WriteAllText(config, $$"""{"credsStore":"{{_helper.Name}}"}""");
        return BuilderServices.Create(_state, new Dictionary<string, string?>
        {
            ["Registry:DockerConfigPath"] = config,
            ["Registry:CredentialHelperDirectory"] = _helper.Directory,
        });
    }

    private ServiceProvider Writer()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry(o =>
        {
            o.UseDockerConfig = false;
            o.Credentials[registry.Address] = new RegistryCredential { Username = BasicAuthRegistry.Username, Password = BasicAuthRegistry.Password };
        });
        return services.BuildServiceProvider();
    }

    private async Task<Digest> PushTinyImageAsync(string tag)
    {
        using var writer = Writer();
        var client = writer.GetRequiredService<IRegistryClient>();
        var reference = ImageReference.Parse($"{registry.Address}/builder/tiny:{tag}");
        var config = System.Text.Encoding.UTF8.GetBytes(
            """{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"config":{"Labels":{"tag":"TAG"}}}""".Replace("TAG", tag, StringComparison.Ordinal));
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

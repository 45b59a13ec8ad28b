using Docker.DotNet;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.DockerEngine.Tests;

/// <summary>
/// The engine pulls a variant from a real htpasswd registry with the credentials the registry library finds for it
/// (here: a credential helper of the tests' own, named by the Docker config's credsStore).
/// </summary>
[Trait("Category", "Integration")]
public sealed class AuthenticatedPullTests(BasicAuthRegistry registry) : IClassFixture<BasicAuthRegistry>, IAsyncLifetime, IDisposable
{
    private readonly TestCredentialHelper _helper = new();
    private readonly string _dockerConfig = Directory.CreateTempSubdirectory("polyarch-docker-config-").FullName;
    private string _repository = string.Empty;
    private Digest? _digest;

    public async Task InitializeAsync()
    {
        // The amd64 variant of the host's busybox, copied into the auth registry by the registry client.
        using var services = RegistryServices(o => o.Credentials[registry.Address] = new RegistryCredential { Username = BasicAuthRegistry.Username, Password = BasicAuthRegistry.Password });
        var client = services.GetRequiredService<IRegistryClient>();
        var source = await services.GetRequiredService<IImageResolver>().ResolvePlatformAsync(ImageReference.Parse(HostSettings.BaseImage), Platform.Parse("linux/amd64"));
        _repository = $"{registry.Address}/polyarch-test/busybox-{TestRun.Id}";
        var target = ImageReference.Parse($"{_repository}:amd64");
        foreach (var blob in source.Manifest.Layers.Append(source.Manifest.Config))
        {
            var content = await client.GetBlobAsync(source.Pinned, blob.Digest);
            await client.PushBlobAsync(target, blob.Digest, content!.Value);
        }

        var manifest = (await client.GetManifestAsync(source.Pinned))!;
        _digest = await client.PutManifestAsync(target, manifest.Content, manifest.MediaType);
    }

    [Fact]
    public async Task Pull_FromAnAuthRegistry_SendsTheCredentialsFromTheHelper()
    {
        _helper.Seed(registry.Address, BasicAuthRegistry.Username, BasicAuthRegistry.Password);
        await File.WriteAllTextAsync(Path.Combine(_dockerConfig, "config.json"), $$"""{"credsStore":"{{_helper.Name}}"}""");
        using var services = RegistryServices(DockerConfig);
        using var docker = new DockerClientProvider(Options.Create(new DockerBackendOptions()));

        await new DockerImagePuller(docker, services.GetRequiredService<IRegistryCredentials>())
            .EnsureAsync(_repository, _digest!.ToString(), "linux/amd64", CancellationToken.None);

        var image = await docker.Client.Images.InspectImageAsync($"{_repository}@{_digest}");
        image.Architecture.ShouldBe("amd64");
        _helper.Calls.ShouldContain($"get {registry.Address}");
    }

    [Fact]
    public async Task Pull_FromAnAuthRegistry_WithoutCredentials_SaysToLogIn()
    {
        await File.WriteAllTextAsync(Path.Combine(_dockerConfig, "config.json"), $$"""{"credsStore":"{{_helper.Name}}"}""");
        using var services = RegistryServices(DockerConfig);
        using var docker = new DockerClientProvider(Options.Create(new DockerBackendOptions()));

        var exception = await Should.ThrowAsync<ImagePullException>(() => new DockerImagePuller(docker, services.GetRequiredService<IRegistryCredentials>())
            .EnsureAsync(_repository, _digest!.ToString(), "linux/amd64", CancellationToken.None));

        exception.Message.ShouldContain($"The Docker engine could not pull {_repository}@{_digest} for linux/amd64");
        exception.Message.ShouldContain($"run `docker login {registry.Address}` as the invoker's user");
    }

    public async Task DisposeAsync()
    {
        await Engine.RemoveImagesFromAsync(registry.Address);
        Directory.Delete(_dockerConfig, recursive: true);
    }

    public void Dispose() => _helper.Dispose();

    private void DockerConfig(RegistryOptions options)
    {
        options.UseDockerConfig = true;
        options.DockerConfigPath = Path.Combine(_dockerConfig, "config.json");
        options.CredentialHelperDirectory = _helper.Directory;
    }

    private static ServiceProvider RegistryServices(Action<RegistryOptions> configure)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry(o =>
        {
            o.UseDockerConfig = false;
            configure(o);
        });
        return services.BuildServiceProvider();
    }
}

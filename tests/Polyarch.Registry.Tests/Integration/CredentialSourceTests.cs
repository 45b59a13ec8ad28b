using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>
/// Credentials where `docker login` puts them — auths, credsStore, credHelpers — read by the registry client against a
/// real htpasswd registry, with a credential helper of the tests' own (a process speaking the protocol).
/// </summary>
[Trait("Category", "Integration")]
public sealed class CredentialSourceTests(BasicAuthRegistry registry) : IClassFixture<BasicAuthRegistry>, IAsyncLifetime, IDisposable
{
    private readonly string _dockerConfig = Directory.CreateTempSubdirectory("polyarch-docker-config-").FullName;
    private readonly TestCredentialHelper _helper = new();

    private string ConfigFile => Path.Combine(_dockerConfig, "config.json");

    private ImageReference Image => ImageReference.Parse($"{registry.Address}/creds/tiny:v1");

    public async Task InitializeAsync()
    {
        using var writer = Services(o => o.Credentials[registry.Address] = new RegistryCredential { Username = BasicAuthRegistry.Username, Password = BasicAuthRegistry.Password });
        await BasicAuthTests.PushTinyImageAsync(writer.GetRequiredService<IRegistryClient>(), Image);
    }

    [Fact]
    public async Task Pull_AfterDockerLogin_UsesWhatItStoredInAuths()
    {
        await DockerLogin.RunAsync(_dockerConfig, registry.Address);
        JsonNode.Parse(await File.ReadAllTextAsync(ConfigFile))!["auths"]![registry.Address]!["auth"].ShouldNotBeNull();

        using var provider = Services(DockerConfig);
        var pulled = await provider.GetRequiredService<IRegistryClient>().GetManifestAsync(Image);

        pulled.ShouldNotBeNull();
    }

    [Fact]
    public async Task Pull_AfterDockerLoginThroughCredsStore_AsksTheHelper()
    {
        await File.WriteAllTextAsync(ConfigFile, $$"""{"credsStore":"{{_helper.Name}}"}""");
        await DockerLogin.RunAsync(_dockerConfig, registry.Address, _helper.SearchPath);
        _helper.Holds(registry.Address).ShouldBeTrue();
        (await File.ReadAllTextAsync(ConfigFile)).ShouldNotContain("auth\":");

        using var provider = Services(DockerConfig);
        var pulled = await provider.GetRequiredService<IRegistryClient>().GetManifestAsync(Image);
        var credential = await provider.GetRequiredService<IRegistryCredentials>().FindAsync(registry.Address);

        pulled.ShouldNotBeNull();
        credential!.Username.ShouldBe(BasicAuthRegistry.Username);
        _helper.Calls.ShouldContain($"get {registry.Address}");
    }

    [Fact]
    public async Task Pull_WithCredHelpersEntry_UsesThatHelperNotTheCredsStore()
    {
        _helper.Seed(registry.Address, BasicAuthRegistry.Username, BasicAuthRegistry.Password);
        // The credsStore names a helper that does not exist: asking it would fail the pull.
        await File.WriteAllTextAsync(ConfigFile, $$$"""{"credsStore":"polyarch-absent","credHelpers":{"{{{registry.Address}}}":"{{{_helper.Name}}}"}}""");

        using var provider = Services(DockerConfig);
        var pulled = await provider.GetRequiredService<IRegistryClient>().GetManifestAsync(Image);

        pulled.ShouldNotBeNull();
        _helper.Calls.ShouldBe([$"get {registry.Address}"]);
    }

    [Fact]
    public async Task Pull_WithMissingHelper_NamesTheHelperTheRegistryAndTheFix()
    {
        await File.WriteAllTextAsync(ConfigFile, $$$"""{"credHelpers":{"{{{registry.Address}}}":"polyarch-absent"}}""");

        using var provider = Services(DockerConfig);
        var exception = await Should.ThrowAsync<CredentialHelperException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(Image));

        exception.Helper.ShouldBe("docker-credential-polyarch-absent");
        exception.Message.ShouldContain($"docker-credential-polyarch-absent (for {registry.Address}) named by credHelpers[\"{registry.Address}\"] of {ConfigFile} is not installed");
        exception.Message.ShouldContain("Install docker-credential-polyarch-absent on PATH (or point Registry:CredentialHelperDirectory at it)");
        exception.Message.ShouldContain($"docker login {registry.Address}");
    }

    [Fact]
    public async Task Pull_WithFailingHelper_NamesTheHelperItsErrorAndTheFix()
    {
        using var failing = new TestCredentialHelper("polyarch-locked", """
            #!/bin/sh
            echo "error getting credentials - err: exit status 1, out: the keychain is locked"
            exit 1
            """);
        await File.WriteAllTextAsync(ConfigFile, $$"""{"credsStore":"{{failing.Name}}"}""");

        using var provider = Services(o => { DockerConfig(o); o.CredentialHelperDirectory = failing.Directory; });
        var exception = await Should.ThrowAsync<CredentialHelperException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(Image));

        exception.Message.ShouldContain($"docker-credential-polyarch-locked (for {registry.Address}) ({failing.Directory}/docker-credential-polyarch-locked) failed with exit code 1: error getting credentials - err: exit status 1, out: the keychain is locked");
        exception.Message.ShouldContain($"echo {registry.Address} | docker-credential-polyarch-locked get");
    }

    [Fact]
    public async Task Pull_WithHangingHelper_StopsItAfterTheTimeoutAndSaysSo()
    {
        using var hanging = new TestCredentialHelper("polyarch-hangs", """
            #!/bin/sh
            echo $$ > "$(dirname "$0")/pid"
            exec sleep 60
            """);
        await File.WriteAllTextAsync(ConfigFile, $$"""{"credsStore":"{{hanging.Name}}"}""");

        using var provider = Services(o => { DockerConfig(o); o.CredentialHelperDirectory = hanging.Directory; o.CredentialHelperTimeout = TimeSpan.FromMilliseconds(500); });
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var exception = await Should.ThrowAsync<CredentialHelperException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(Image));

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        exception.Message.ShouldContain("did not answer within 00:00:00.5000000");
        exception.Message.ShouldContain("Registry:CredentialHelperTimeout");
        var pid = (await File.ReadAllTextAsync(Path.Combine(hanging.Directory, "pid"))).Trim();
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (Directory.Exists($"/proc/{pid}") && deadline.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(50);
        }

        Directory.Exists($"/proc/{pid}").ShouldBeFalse("the helper process must be gone after the timeout");
    }

    [Fact]
    public async Task Pull_WithNoCredentialsAnywhere_SaysWhichSourcesWereTriedAndHowToLogIn()
    {
        // The helper is asked and has nothing; auths has an entry without credentials (what `docker login` leaves with a store).
        await File.WriteAllTextAsync(ConfigFile, $$$"""{"auths":{"{{{registry.Address}}}":{}},"credsStore":"{{{_helper.Name}}}"}""");

        using var provider = Services(DockerConfig);
        var exception = await Should.ThrowAsync<RegistryRequestException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(Image));

        exception.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        exception.Message.ShouldContain($"No credentials for {registry.Address} were found (tried: Registry:Credentials (no entry); " +
            $"credHelpers of {ConfigFile} (Registry:DockerConfigPath) (no entry for {registry.Address}); " +
            $"credsStore of {ConfigFile} (Registry:DockerConfigPath): docker-credential-{_helper.Name} (no credentials for {registry.Address}); " +
            $"auths of {ConfigFile} (Registry:DockerConfigPath) (no credentials for {registry.Address})).");
        exception.Message.ShouldContain($"Log in with `docker login {registry.Address}`");
        _helper.Calls.ShouldBe([$"get {registry.Address}"]);
    }

    [Fact]
    public async Task Pull_WithRejectedCredentials_NamesWhereTheyCameFrom()
    {
        _helper.Seed(registry.Address, BasicAuthRegistry.Username, "not-the-password");
        await File.WriteAllTextAsync(ConfigFile, $$"""{"credsStore":"{{_helper.Name}}"}""");

        using var provider = Services(DockerConfig);
        var exception = await Should.ThrowAsync<RegistryRequestException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(Image));

        exception.Message.ShouldContain($"The registry rejected the credentials for {registry.Address} from docker-credential-{_helper.Name} (credsStore of {ConfigFile}).");
        exception.Message.ShouldNotContain("not-the-password");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        _helper.Dispose();
        Directory.Delete(_dockerConfig, recursive: true);
    }

    private void DockerConfig(RegistryOptions options)
    {
        options.UseDockerConfig = true;
        options.DockerConfigPath = ConfigFile;
        options.CredentialHelperDirectory = _helper.Directory;
    }

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
}

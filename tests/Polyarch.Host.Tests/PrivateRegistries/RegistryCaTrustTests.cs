using System.Security.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.PrivateRegistries;

/// <summary>Registry:CaFiles: the registry client trusts a private CA for the host it is configured for, and for no other.</summary>
[Collection(PrivateRegistryCollection.Name)]
[Trait("Category", "Integration")]
public sealed class RegistryCaTrustTests(PrivateRegistryFixture registry)
{
    [Fact]
    public async Task A_CA_configured_for_the_registry_host_lets_the_client_list_its_tags()
    {
        await using var services = Client(registry.HostName);

        var tags = await services.GetRequiredService<IRegistryClient>()
            .ListTagsAsync(ImageReference.Parse($"{registry.TlsRegistry}/{registry.SeedRepository}"));

        tags.ShouldNotBeNull();
        tags.ShouldBe(["amd64", "arm64", "ppc64le"], ignoreOrder: true);
    }

    [Fact]
    public async Task Without_the_CA_the_certificate_is_refused()
    {
        await ShouldRefuseTheCertificateAsync(Client(caHost: null), registry.TlsRegistry);
    }

    [Fact]
    public async Task A_CA_configured_for_another_host_is_not_trusted_for_this_one()
    {
        await ShouldRefuseTheCertificateAsync(Client("other.polyarch.test"), registry.TlsRegistry);
    }

    [Fact]
    public async Task A_CA_configured_for_the_host_name_is_not_trusted_for_the_same_server_by_its_address()
    {
        // The certificate also names the address (IP SAN), so only the per-host rule refuses it here.
        var port = registry.TlsRegistry[(registry.TlsRegistry.LastIndexOf(':') + 1)..];
        await ShouldRefuseTheCertificateAsync(Client(registry.HostName), $"{registry.Address}:{port}");
    }

    private static async Task ShouldRefuseTheCertificateAsync(ServiceProvider services, string registryName)
    {
        await using (services)
        {
            var exception = await Should.ThrowAsync<RegistryUnavailableException>(() => services.GetRequiredService<IRegistryClient>()
                .ListTagsAsync(ImageReference.Parse($"{registryName}/x")));
            exception.GetBaseException().ShouldBeOfType<AuthenticationException>(exception.ToString());
        }
    }

    private ServiceProvider Client(string? caHost)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry(options =>
        {
            options.UseDockerConfig = false;
            options.MaxRetries = 0;
            options.Credentials[registry.TlsRegistry] = new RegistryCredential { Username = registry.User, Password = registry.Password };
            if (caHost is not null)
            {
                options.CaFiles[caHost] = registry.CaFile;
            }
        });
        return services.BuildServiceProvider();
    }
}

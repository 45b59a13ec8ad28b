using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Registry.Tests.Integration;

/// <summary>
/// HTTPS spoken to a plain-HTTP registry, a certificate from an unknown CA, and plain HTTP spoken to an HTTPS registry:
/// each error names the registry and the fix. Real registries; the names *.polyarch.test connect to 127.0.0.1 (a test
/// resolver: loopback addresses always get plain HTTP, so HTTPS needs a name).
/// </summary>
[Trait("Category", "Integration")]
[Collection(RegistryCollection.Name)]
public sealed class TransportErrorTests(RegistryFixture plain, TlsRegistry tls) : IClassFixture<TlsRegistry>
{
    [Fact]
    public async Task Https_ToAPlainHttpRegistry_NamesTheInsecureProfile()
    {
        var host = $"plain.polyarch.test:{plain.Registry.BaseUri.Port}";
        using var provider = Services();

        var exception = await Should.ThrowAsync<RegistryUnavailableException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(ImageReference.Parse($"{host}/demo/echo:v1")));

        exception.Message.ShouldContain($"The registry https://{host}/ is unreachable");
        exception.Message.ShouldContain("the registry probably speaks plain HTTP (what Go tools report as \"server gave HTTP response to HTTPS client\")");
        exception.Message.ShouldContain($"`polyarch-builder registry profile {host} --insecure`");
    }

    [Fact]
    public async Task Https_WithACertificateFromAnUnknownCa_NamesTheCaProfile()
    {
        var host = $"{TlsRegistry.HostName}:{tls.Port}";
        using var provider = Services();

        var exception = await Should.ThrowAsync<RegistryUnavailableException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(ImageReference.Parse($"{host}/demo/echo:v1")));

        exception.Message.ShouldContain($"The registry https://{host}/ is unreachable");
        exception.Message.ShouldContain("the registry's TLS certificate is not trusted here");
        exception.Message.ShouldContain($"`polyarch-builder registry profile {host} --ca FILE`");
    }

    [Fact]
    public async Task PlainHttp_ToAnHttpsRegistry_SaysItSpeaksHttps()
    {
        using var provider = Services();

        var exception = await Should.ThrowAsync<RegistryUnavailableException>(
            () => provider.GetRequiredService<IRegistryClient>().GetManifestAsync(ImageReference.Parse($"{tls.Address}/demo/echo:v1")));

        exception.Message.ShouldContain($"The registry http://{tls.Address}/ is unreachable");
        exception.Message.ShouldContain("the registry speaks HTTPS");
        exception.Message.ShouldContain($"`polyarch-builder registry profile {tls.Address} --ca FILE`");
    }

    private static ServiceProvider Services()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry(o => { o.UseDockerConfig = false; o.MaxRetries = 0; });
        services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host.EndsWith(".polyarch.test", StringComparison.Ordinal) ? "127.0.0.1" : context.DnsEndPoint.Host;
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(host, context.DnsEndPoint.Port, cancellationToken);
                    return new System.Net.Sockets.NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }));
        return services.BuildServiceProvider();
    }
}

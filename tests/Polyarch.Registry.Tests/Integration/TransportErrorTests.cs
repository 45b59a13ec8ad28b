using Microsoft.Extensions.DependencyInjection;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;
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

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task Https_WithACertificateFromAnUnknownCa_FailsAtOnce_WithoutRetries(RegistryHttpPipeline pipeline)
    {
        // Each failed handshake closes its connection, so the connections the client opened are its attempts.
        var connections = new ConnectionCounter();
        using var provider = Services(maxRetries: 3, connections, pipeline);

        await Should.ThrowAsync<RegistryUnavailableException>(() => provider.GetRequiredService<IRegistryClient>()
            .GetManifestAsync(ImageReference.Parse($"{TlsRegistry.HostName}:{tls.Port}/demo/echo:v1")));

        connections.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task Https_ToAPlainHttpRegistry_FailsAtOnce_WithoutRetries(RegistryHttpPipeline pipeline)
    {
        var connections = new ConnectionCounter();
        using var provider = Services(maxRetries: 3, connections, pipeline);

        await Should.ThrowAsync<RegistryUnavailableException>(() => provider.GetRequiredService<IRegistryClient>()
            .GetManifestAsync(ImageReference.Parse($"plain.polyarch.test:{plain.Registry.BaseUri.Port}/demo/echo:v1")));

        connections.Count.ShouldBe(1);
    }

    [Theory]
    [InlineData(RegistryHttpPipeline.Standard)]
    [InlineData(RegistryHttpPipeline.OneShot)]
    public async Task A_refused_connection_is_still_retried(RegistryHttpPipeline pipeline)
    {
        // The control: connection failures other than a TLS handshake stay transient (port 9: nothing listens).
        var connections = new ConnectionCounter();
        using var provider = Services(maxRetries: 2, connections, pipeline);

        await Should.ThrowAsync<RegistryUnavailableException>(() => provider.GetRequiredService<IRegistryClient>()
            .GetManifestAsync(ImageReference.Parse("refused.polyarch.test:9/demo/echo:v1")));

        connections.Count.ShouldBe(3);
    }

    private static ServiceProvider Services(int maxRetries = 0, ConnectionCounter? connections = null, RegistryHttpPipeline pipeline = RegistryHttpPipeline.Standard)
    {
        var services = new ServiceCollection().AddLogging();
        services.AddPolyarchRegistry(o =>
        {
            o.UseDockerConfig = false;
            o.MaxRetries = maxRetries;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(10);
        }, pipeline);
        services.ConfigureHttpClientDefaults(client => client.ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                connections?.Increment();
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

    private sealed class ConnectionCounter
    {
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public void Increment() => Interlocked.Increment(ref _count);
    }
}

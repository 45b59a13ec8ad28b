using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Testing;
using Polyarch.Testing.Hosting;

namespace Polyarch.Invoker.DockerEngine.Tests;

/// <summary>
/// The engine chosen by DOCKER_HOST, a docker context or DOCKER_TLS_VERIFY + DOCKER_CERT_PATH is the one the invoker
/// talks to: a real engine reached through another socket path, and a mutual-TLS endpoint that checks our client
/// certificate (the invoker used to always dial unix:///var/run/docker.sock).
/// </summary>
[Trait("Category", "Integration")]
public sealed class DockerEngineSelectionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-engine-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task DOCKER_HOST_reaches_the_engine_behind_another_socket_path()
    {
        await ContainerHost.EnsureUpAsync();
        var socket = Path.Combine(_directory, "engine.sock");
        File.CreateSymbolicLink(socket, "/var/run/docker.sock");

        var inventory = await InventoryAsync(new DockerCliEnvironment(DockerHost: $"unix://{socket}", DockerConfig: _directory));

        inventory.Platforms.ShouldContain(p => !p.Emulated);
    }

    [Fact]
    public async Task DOCKER_HOST_naming_no_engine_fails_naming_that_endpoint_not_the_default_socket()
    {
        await ContainerHost.EnsureUpAsync();
        var missing = Path.Combine(_directory, "nothing-here.sock");

        var error = await Should.ThrowAsync<EngineUnavailableException>(() =>
            InventoryAsync(new DockerCliEnvironment(DockerHost: $"unix://{missing}", DockerConfig: _directory)));

        error.Message.ShouldContain(missing);
        error.Message.ShouldContain("(DOCKER_HOST)");
    }

    [Fact]
    public async Task The_current_docker_context_reaches_its_engine()
    {
        await ContainerHost.EnsureUpAsync();
        var socket = Path.Combine(_directory, "context.sock");
        File.CreateSymbolicLink(socket, "/var/run/docker.sock");
        var meta = Path.Combine(_directory, "contexts", "meta", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("polyarch-test"))));
        Directory.CreateDirectory(meta);
        await File.WriteAllTextAsync(Path.Combine(meta, "meta.json"), System.Text.Json.JsonSerializer.Serialize(new { Name = "polyarch-test", Metadata = new { }, Endpoints = new { docker = new { Host = $"unix://{socket}", SkipTLSVerify = false } } }));
        await File.WriteAllTextAsync(Path.Combine(_directory, "config.json"), """{"currentContext":"polyarch-test"}""");

        using var provider = new DockerClientProvider(Options.Create(new DockerBackendOptions()), new DockerCliEnvironment(DockerConfig: _directory));
        var version = await provider.Client.System.GetVersionAsync();

        version.APIVersion.ShouldNotBeNullOrEmpty();
        provider.Endpoint.ShouldContain("docker context polyarch-test");
    }

    [Fact]
    public async Task DOCKER_TLS_VERIFY_presents_the_client_certificate_and_checks_the_engine_against_ca_pem()
    {
        var certificates = Path.Combine(_directory, "certs");
        var (ca, server) = WriteCertificates(certificates);
        string? seenClient = null;
        await using var engine = await StartTlsEngineAsync(server, ca, subject => seenClient = subject);

        using var provider = new DockerClientProvider(
            Options.Create(new DockerBackendOptions()),
            new DockerCliEnvironment(DockerHost: $"tcp://127.0.0.1:{engine.Port}", DockerTlsVerify: "1", DockerCertPath: certificates, DockerConfig: _directory));
        await provider.Client.System.PingAsync();

        seenClient.ShouldBe("CN=polyarch-invoker-test-client");
        provider.Endpoint.ShouldContain("TLS");
    }

    [Fact]
    public async Task An_engine_whose_certificate_is_not_signed_by_ca_pem_is_refused()
    {
        var certificates = Path.Combine(_directory, "certs");
        WriteCertificates(certificates);
        var (otherCa, otherServer) = WriteCertificates(Path.Combine(_directory, "other"));
        await using var engine = await StartTlsEngineAsync(otherServer, otherCa, _ => { });

        var error = await Should.ThrowAsync<EngineUnavailableException>(() => InventoryAsync(
            new DockerCliEnvironment(DockerHost: $"tcp://127.0.0.1:{engine.Port}", DockerTlsVerify: "1", DockerCertPath: certificates, DockerConfig: _directory)));

        error.Message.ShouldContain("TLS handshake");
        error.Message.ShouldContain($"tcp://127.0.0.1:{engine.Port}/ (DOCKER_HOST, TLS)");
    }

    private static async Task<Polyarch.Invoker.Placement.BackendInventory> InventoryAsync(DockerCliEnvironment environment)
    {
        var options = Options.Create(new DockerBackendOptions());
        using var provider = new DockerClientProvider(options, environment);
        using var inventory = new DockerInventoryProvider(provider, options);
        return await inventory.GetAsync(CancellationToken.None);
    }

    /// <summary>A CA, a server certificate for 127.0.0.1 and a client certificate, as `docker` expects them: ca.pem, cert.pem, key.pem.</summary>
    private static (X509Certificate2 Ca, X509Certificate2 Server) WriteCertificates(string directory)
    {
        Directory.CreateDirectory(directory);
        using var caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=polyarch-test-ca", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var ca = caRequest.CreateSelfSigned(TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddDays(2));

        var server = Issue(ca, "CN=127.0.0.1", "1.3.6.1.5.5.7.3.1", san: true);
        var client = Issue(ca, "CN=polyarch-invoker-test-client", "1.3.6.1.5.5.7.3.2", san: false);
        File.WriteAllText(Path.Combine(directory, "ca.pem"), ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "cert.pem"), client.ExportCertificatePem());
        File.WriteAllText(Path.Combine(directory, "key.pem"), client.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        return (ca, server);
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, string usage, bool san)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        if (san)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        using var issued = request.Create(ca, TimeProvider.System.GetUtcNow().AddMinutes(-5), TimeProvider.System.GetUtcNow().AddDays(1), RandomNumberGenerator.GetBytes(8));
        using var withKey = issued.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    /// <summary>An engine stand-in that answers /_ping over mutual TLS, trusting only client certificates from <paramref name="ca"/>.</summary>
    private static async Task<TlsEngine> StartTlsEngineAsync(X509Certificate2 server, X509Certificate2 ca, Action<string> sawClient)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(https =>
        {
            https.ServerCertificate = server;
            https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
            https.ClientCertificateValidation = (certificate, _, _) =>
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        })));
        var app = builder.Build();
        app.MapGet("/_ping", (HttpContext context) =>
        {
            sawClient(context.Connection.ClientCertificate?.Subject ?? "");
            return Results.Text("OK");
        });
        app.MapFallback(() => Results.Text("OK"));
        await app.StartAsync();
        var address = new Uri(app.ListeningAddress());
        return new TlsEngine(app, address.Port);
    }

    private sealed class TlsEngine(WebApplication app, int port) : IAsyncDisposable
    {
        public int Port { get; } = port;

        public ValueTask DisposeAsync() => app.DisposeAsync();
    }
}

using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Polyarch.Testing;

/// <summary>
/// A real distribution registry serving TLS (a <see cref="RegistryInstance"/>) on a free 127.0.0.1 port, with a certificate from a CA the fixture makes
/// (and nothing on this machine trusts); the certificate names <see cref="HostName"/> and 127.0.0.1.
/// </summary>
public sealed class TlsRegistry : IAsyncLifetime
{
    public const string HostName = "tls.polyarch.test";

    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-tls-registry-").FullName;
    private RegistryInstance? _registry;

    public string Address => _registry?.Address ?? throw new InvalidOperationException("The TLS registry has not started (InitializeAsync).");

    public int Port => int.Parse(Address[(Address.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        var (certificate, key) = WriteCertificate();
        _registry = await RegistryInstance.StartAsync(new RegistryLaunch
        {
            Environment = new Dictionary<string, string> { ["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate, ["REGISTRY_HTTP_TLS_KEY"] = key },
            Tls = true,
            Description = "TLS test registry",
        });
    }

    public async Task DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private (string Certificate, string Key) WriteCertificate()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Polyarch test CA (untrusted)", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        var now = TimeProvider.System.GetUtcNow();
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(5));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={HostName}", serverKey, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(HostName);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var server = request.Create(ca, now.AddDays(-1), now.AddYears(1), [1, 2, 3, 4, 5, 6, 7, 8]);

        var certificate = Path.Combine(_directory, "server.crt");
        var key = Path.Combine(_directory, "server.key");
        File.WriteAllText(certificate, server.ExportCertificatePem() + "\n" + ca.ExportCertificatePem());
        File.WriteAllText(key, serverKey.ExportPkcs8PrivateKeyPem());
        return (certificate, key);
    }
}

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CliWrap;

namespace Polyarch.Testing;

/// <summary>
/// A real distribution registry serving TLS on a free 127.0.0.1 port, with a certificate from a CA the fixture makes
/// (and nothing on this machine trusts); the certificate names <see cref="HostName"/> and 127.0.0.1.
/// </summary>
public sealed class TlsRegistry : IAsyncLifetime, IDisposable
{
    public const string HostName = "tls.polyarch.test";

    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-tls-registry-").FullName;
    private Task<CommandResult>? _process;

    public int Port { get; } = TestPorts.FreePort();

    public string Address => $"127.0.0.1:{Port}";

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        var (certificate, key) = WriteCertificate();
        _process = Cli.Wrap(RepositoryRoot.Combine("scripts", "registry.sh"))
            .WithArguments([Address, Path.Combine(_directory, "storage")])
            // distribution reads any config key from REGISTRY_<PATH> variables (docs: configuration, "Override specific configuration options").
            .WithEnvironmentVariables(new Dictionary<string, string?> { ["REGISTRY_HTTP_TLS_CERTIFICATE"] = certificate, ["REGISTRY_HTTP_TLS_KEY"] = key })
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(_log.Enqueue))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(_log.Enqueue))
            .ExecuteAsync(_forceful.Token, _graceful.Token)
            .Task;
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(
            async () =>
            {
                if (_process.IsCompleted)
                {
                    throw new InvalidOperationException($"The TLS test registry on {Address} did not start:\n{string.Join('\n', _log)}");
                }

                using var response = await http.GetAsync(new Uri($"https://{Address}/v2/"));
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            $"the TLS test registry on {Address} to answer /v2/",
            () => string.Join('\n', _log));
    }

    public async Task DisposeAsync()
    {
        if (_process is not null)
        {
            _graceful.Cancel();
            _forceful.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await _process;
            }
            catch (OperationCanceledException)
            {
                // That is how it stops.
            }
        }

        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose()
    {
        _graceful.Dispose();
        _forceful.Dispose();
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

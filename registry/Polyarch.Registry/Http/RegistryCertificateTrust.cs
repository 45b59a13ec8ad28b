using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Client;

namespace Polyarch.Registry.Http;

/// <summary>
/// Accepts a registry's TLS certificate that the system trusts, or one that chains to the CA configured for
/// that very host in <see cref="RegistryOptions.CaFiles"/> (a private registry's own CA is never trusted for other hosts).
/// </summary>
internal sealed class RegistryCertificateTrust
{
    private readonly Dictionary<string, Lazy<X509Certificate2Collection>> _authorities;

    public RegistryCertificateTrust(IOptions<RegistryOptions> options)
    {
        _authorities = options.Value.CaFiles.ToDictionary(
            pair => pair.Key,
            pair => new Lazy<X509Certificate2Collection>(() => Load(pair.Key, pair.Value)),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Puts the validation on a primary handler when a host has a CA of its own (otherwise the default validation stays).</summary>
    public void Configure(HttpMessageHandler handler)
    {
        if (_authorities.Count == 0)
        {
            return;
        }

        switch (handler)
        {
            case SocketsHttpHandler sockets:
                sockets.SslOptions.RemoteCertificateValidationCallback ??=
                    (sender, certificate, chain, errors) => Validate((sender as SslStream)?.TargetHostName, certificate, chain, errors);
                break;
            case HttpClientHandler client:
                client.ServerCertificateCustomValidationCallback ??=
                    (request, certificate, chain, errors) => Validate(request.RequestUri?.Host, certificate, chain, errors);
                break;
        }
    }

    private bool Validate(string? host, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // A name mismatch or a missing certificate is never forgiven, whatever CA the host has.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null
            || string.IsNullOrEmpty(host) || !_authorities.TryGetValue(host, out var authorities))
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(authorities.Value);
        // A private CA publishes no revocation lists.
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = new X509Certificate2(certificate);
        return custom.Build(leaf);
    }

    private static X509Certificate2Collection Load(string host, string file)
    {
        var collection = new X509Certificate2Collection();
        try
        {
            collection.ImportFromPemFile(file);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"Registry:CaFiles:{host} is '{file}', which cannot be read as PEM certificates ({exception.Message}). Point it at the registry's CA certificate.", exception);
        }

        return collection.Count > 0 ? collection : throw new InvalidOperationException(
            $"Registry:CaFiles:{host} is '{file}', which holds no PEM certificate. Point it at the registry's CA certificate.");
    }
}

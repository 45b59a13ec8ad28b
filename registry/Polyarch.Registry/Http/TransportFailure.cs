using System.Security.Authentication;
using Polyarch.Registry.Client;

namespace Polyarch.Registry.Http;

/// <summary>
/// Turns connection failures into errors that name the registry and the fix: a TLS handshake with a plain-HTTP server
/// (.NET's AuthenticationException "Cannot determine the frame size…", Go's "server gave HTTP response to HTTPS client"),
/// a certificate from an unknown CA, and plain HTTP sent to an HTTPS server (Go's "Client sent an HTTP request to an
/// HTTPS server.").
/// </summary>
internal static class TransportFailure
{
    private const string HttpsServerAnswer = "HTTP request to an HTTPS server";
    private const string ProfileCommand = "polyarch-builder registry profile";

    public static RegistryUnavailableException Describe(Uri registry, HttpMethod method, Uri url, HttpRequestException exception)
    {
        var host = registry.Authority;
        if (Find<AuthenticationException>(exception) is not { } tls)
        {
            return new RegistryUnavailableException(registry, $"{method} {url} failed: {exception.Message}", exception);
        }

        if (tls.Message.Contains("NameMismatch", StringComparison.Ordinal))
        {
            return new RegistryUnavailableException(registry,
                $"{method} {url} failed: the registry's TLS certificate does not name {registry.Host} ({tls.Message})",
                $"Address the registry by a name its certificate holds, or reissue the certificate with {registry.Host} in its subjectAltName.",
                exception);
        }

        if (tls.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            return new RegistryUnavailableException(registry,
                $"{method} {url} failed: the registry's TLS certificate is not trusted here ({tls.Message})",
                $"If it comes from a private CA, trust that CA for every consumer: `{ProfileCommand} {host} --ca FILE` (FILE: the CA certificate, PEM; " +
                $"for Polyarch alone: Registry:CaFiles:{registry.Host}=FILE).",
                exception);
        }

        return new RegistryUnavailableException(registry,
            $"{method} {url} failed: the TLS handshake failed ({tls.Message}); the registry probably speaks plain HTTP " +
            "(what Go tools report as \"server gave HTTP response to HTTPS client\")",
            $"If {host} is a plain-HTTP registry, declare it insecure for every consumer: `{ProfileCommand} {host} --insecure` " +
            $"(for Polyarch alone: Registry:InsecureHosts).",
            exception);
    }

    public static RegistryUnavailableException PlainHttpToHttpsServer(Uri registry, HttpMethod method, Uri url) =>
        new(registry,
            $"{method} {url} was answered with 400 \"Client sent an HTTP request to an HTTPS server\": the registry speaks HTTPS",
            $"Speak HTTPS to it: remove {registry.Authority} from Registry:InsecureHosts (loopback addresses always get plain HTTP: use a host name); " +
            $"if its certificate comes from a private CA: `{ProfileCommand} {registry.Authority} --ca FILE`.",
            null);

    // Distribution (Go's net/http) answers a plain request on a TLS port with 400 and this text; the body is small.
    public static async Task<bool> IsHttpsServerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            await response.Content.LoadIntoBufferAsync(64 * 1024, cancellationToken).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return text.Contains(HttpsServerAnswer, StringComparison.Ordinal);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            return false;
        }
    }

    private static T? Find<T>(Exception exception)
        where T : Exception
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is T found)
            {
                return found;
            }
        }

        return null;
    }
}

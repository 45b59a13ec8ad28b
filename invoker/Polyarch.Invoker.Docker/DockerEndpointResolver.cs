using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.X509;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>
/// Finds the engine as the docker CLI does, so the invoker and the builder (which drives the docker CLI) talk to the same
/// one: Docker:Endpoint, then Docker:Context, then $DOCKER_HOST, then $DOCKER_CONTEXT, then currentContext in
/// $DOCKER_CONFIG/config.json (~/.docker), else unix:///var/run/docker.sock. TLS: a context's own material
/// (contexts/tls/&lt;sha256(name)&gt;/docker/{ca,cert,key}.pem), or with $DOCKER_TLS_VERIFY set the client certificate in
/// $DOCKER_CERT_PATH (default: the docker config directory), the server checked against its ca.pem.
/// The library resolves endpoints the same way (DockerConfig); this adds the explicit options, the source for messages
/// and the TLS material.
/// </summary>
internal static class DockerEndpointResolver
{
    private const string DefaultContext = "default";

    public static DockerEndpoint Resolve(DockerBackendOptions options, DockerCliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        var configDirectory = NonEmpty(environment.DockerConfig)
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");

        if (NonEmpty(options.Endpoint) is { } configured)
        {
            var uri = Parse(configured, "Docker:Endpoint");
            return new DockerEndpoint(uri, "Docker:Endpoint", TlsFromEnvironment(uri, environment, configDirectory));
        }

        if (NonEmpty(options.Context) is { } optionContext)
        {
            return FromContext(optionContext, "Docker:Context", environment, configDirectory);
        }

        if (NonEmpty(environment.DockerHost) is { } host)
        {
            var uri = Parse(host, "DOCKER_HOST");
            return new DockerEndpoint(uri, "DOCKER_HOST", TlsFromEnvironment(uri, environment, configDirectory));
        }

        if (NonEmpty(environment.DockerContext) is { } environmentContext)
        {
            return FromContext(environmentContext, "DOCKER_CONTEXT", environment, configDirectory);
        }

        if (CurrentContext(configDirectory) is { } current)
        {
            return FromContext(current, $"currentContext in {Path.Combine(configDirectory, "config.json")}", environment, configDirectory);
        }

        return new DockerEndpoint(new Uri("unix:///var/run/docker.sock"), "default", null);
    }

    private static DockerEndpoint FromContext(string name, string chosenBy, DockerCliEnvironment environment, string configDirectory)
    {
        if (name == DefaultContext)
        {
            return new DockerEndpoint(new Uri("unix:///var/run/docker.sock"), $"docker context {DefaultContext}", null);
        }

        Uri uri;
        try
        {
            uri = new DockerConfig(new FixedSettings(configDirectory, environment)).GetEndpoint(name);
        }
        catch (DockerConfigurationException ex)
        {
            throw new EngineConfigurationException(
                $"The docker context '{name}' ({chosenBy}) cannot be used: {ex.Message} See `docker context ls`; create it with " +
                "`docker context create`, or choose another with Docker:Context, DOCKER_CONTEXT or DOCKER_HOST.", ex);
        }

        var tls = Path.Combine(configDirectory, "contexts", "tls", Hash(name), "docker");
        var credentials = File.Exists(Path.Combine(tls, "cert.pem")) ? Load(tls, $"docker context {name}") : null;
        return new DockerEndpoint(uri, $"docker context {name}", credentials);
    }

    private static Docker.DotNet.Handler.Abstractions.IAuthProvider? TlsFromEnvironment(Uri uri, DockerCliEnvironment environment, string configDirectory)
    {
        if (uri.Scheme != "tcp" || string.IsNullOrEmpty(environment.DockerTlsVerify))
        {
            return null;
        }

        var directory = NonEmpty(environment.DockerCertPath) ?? configDirectory;
        return Load(directory, "DOCKER_TLS_VERIFY with DOCKER_CERT_PATH");
    }

    private static Docker.DotNet.Handler.Abstractions.IAuthProvider Load(string directory, string what)
    {
        try
        {
            return DockerTlsCertificates.LoadFromDirectory(directory).CreateCredentials();
        }
        catch (Exception ex) when (ex is IOException or CryptographicException or UnauthorizedAccessException)
        {
            throw new EngineConfigurationException(
                $"Cannot load the engine's TLS client certificate for {what} from {directory} (cert.pem, key.pem, ca.pem): {ex.Message}. " +
                "Point DOCKER_CERT_PATH at the directory holding them, or unset DOCKER_TLS_VERIFY for a plain endpoint.", ex);
        }
    }

    private static Uri Parse(string value, string source)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "unix" or "tcp" or "http" or "https" or "npipe")
        {
            return uri;
        }

        throw new EngineConfigurationException(
            $"{source} '{value}' is not an engine endpoint. Use unix:///var/run/docker.sock or tcp://HOST:PORT (ssh:// is not supported by the invoker; forward the socket instead).");
    }

    private static string? CurrentContext(string configDirectory)
    {
        var file = Path.Combine(configDirectory, "config.json");
        if (!File.Exists(file))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("currentContext", out var current)
                && current.ValueKind == JsonValueKind.String
                ? NonEmpty(current.GetString())
                : null;
        }
        catch (JsonException ex)
        {
            throw new EngineConfigurationException($"{file} is not valid JSON ({ex.Message}); fix or remove it, or set DOCKER_HOST.", ex);
        }
    }

    private static string Hash(string name) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(name)));

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;

    /// <summary>The library's settings with the config directory pinned (so a context is read where we looked).</summary>
    private sealed class FixedSettings(string configDirectory, DockerCliEnvironment environment) : IDockerCliSettings
    {
        public string? DockerConfig => configDirectory;

        public string? DockerHost => null;

        public string? DockerTlsVerify => environment.DockerTlsVerify;

        public string? DockerContext => null;
    }
}

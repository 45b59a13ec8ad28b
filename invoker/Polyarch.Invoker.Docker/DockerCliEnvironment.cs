using Docker.DotNet;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>The docker CLI's environment variables (DOCKER_HOST, DOCKER_CONTEXT, DOCKER_CONFIG, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH).</summary>
internal sealed record DockerCliEnvironment(
    string? DockerHost = null,
    string? DockerContext = null,
    string? DockerConfig = null,
    string? DockerTlsVerify = null,
    string? DockerCertPath = null) : IDockerCliSettings
{
    /// <summary>This process's environment.</summary>
    public static DockerCliEnvironment FromProcess() => new(
        Environment.GetEnvironmentVariable("DOCKER_HOST"),
        Environment.GetEnvironmentVariable("DOCKER_CONTEXT"),
        Environment.GetEnvironmentVariable("DOCKER_CONFIG"),
        Environment.GetEnvironmentVariable("DOCKER_TLS_VERIFY"),
        Environment.GetEnvironmentVariable("DOCKER_CERT_PATH"));
}

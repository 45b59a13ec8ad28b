using Docker.DotNet.Handler.Abstractions;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>The engine the invoker talks to, where that choice came from, and the TLS client credentials if any.</summary>
/// <param name="Uri">unix:// or tcp:// (https when <paramref name="Credentials"/> is set).</param>
/// <param name="Source">What chose it, for messages: "Docker:Endpoint", "DOCKER_HOST", "docker context NAME", "default".</param>
/// <param name="Credentials">The TLS client certificate and CA check, or null for a plain socket.</param>
internal sealed record DockerEndpoint(Uri Uri, string Source, IAuthProvider? Credentials)
{
    public override string ToString() => $"{Uri} ({Source}{(Credentials is null ? "" : ", TLS")})";
}

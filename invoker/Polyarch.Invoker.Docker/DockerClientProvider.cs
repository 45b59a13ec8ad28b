using Docker.DotNet;
using Microsoft.Extensions.Options;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>The one Docker Engine API client of the process, on the engine <see cref="DockerEndpointResolver"/> finds.</summary>
internal sealed class DockerClientProvider : IDisposable
{
    private readonly Lazy<DockerEndpoint> _endpoint;
    private readonly Lazy<DockerClient> _client;

    public DockerClientProvider(IOptions<DockerBackendOptions> options)
        : this(options, DockerCliEnvironment.FromProcess())
    {
    }

    public DockerClientProvider(IOptions<DockerBackendOptions> options, DockerCliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        _endpoint = new(() => DockerEndpointResolver.Resolve(options.Value, environment));
        _client = new(() =>
        {
            var builder = new DockerClientBuilder().WithEndpoint(_endpoint.Value.Uri);
            return (_endpoint.Value.Credentials is { } credentials ? builder.WithAuthProvider(credentials) : builder).Build();
        });
    }

    public DockerClient Client => _client.Value;

    /// <summary>The engine in use and why (for messages).</summary>
    public string Endpoint => _endpoint.Value.ToString();

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}

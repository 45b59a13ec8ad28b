using Docker.DotNet;
using Microsoft.Extensions.Options;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>The one Docker Engine API client of the process.</summary>
internal sealed class DockerClientProvider(IOptions<DockerBackendOptions> options) : IDisposable
{
    private readonly Lazy<DockerClient> _client = new(() => new DockerClientBuilder()
        .WithEndpoint(new Uri(options.Value.Endpoint))
        .Build());

    public DockerClient Client => _client.Value;

    public string Endpoint => options.Value.Endpoint;

    public void Dispose()
    {
        if (_client.IsValueCreated)
        {
            _client.Value.Dispose();
        }
    }
}

using Microsoft.Extensions.Options;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Fitness;

/// <summary>The REST API's key (separate from the registry webhook's token): configured, else read from or generated into secrets/invoker-api.key (0600).</summary>
internal sealed class ApiKey(IOptions<ServiceOptions> options, IOptions<InvokerOptions> invokerOptions)
{
    private readonly BearerSecret _secret = new(
        options.Value.ApiKey,
        options.Value.ApiKeyFile ?? Path.Combine(StateDirectory.Resolve(invokerOptions.Value.StateDirectory), "secrets", "invoker-api.key"));

    /// <summary>True when the Authorization header is "Bearer &lt;key&gt;" (constant-time).</summary>
    public bool IsAuthorized(string? authorization) => _secret.IsAuthorized(authorization);
}

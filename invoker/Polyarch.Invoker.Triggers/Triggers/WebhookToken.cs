using Microsoft.Extensions.Options;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Triggers;

/// <summary>The registry webhook's bearer token: configured, else read from (or generated into, mode 0600) the state directory.</summary>
internal sealed class WebhookToken(IOptions<TriggerOptions> options, IOptions<InvokerOptions> invokerOptions)
{
    private readonly BearerSecret _secret = new(
        options.Value.WebhookToken,
        options.Value.WebhookTokenFile ?? Path.Combine(StateDirectory.Resolve(invokerOptions.Value.StateDirectory), "secrets", "registry-webhook.token"));

    /// <summary>Always true once constructed (the token was configured, read or generated).</summary>
    public bool IsConfigured => _secret is not null;

    /// <summary>True when the Authorization header is "Bearer &lt;token&gt;" (compared in constant time).</summary>
    public bool IsAuthorized(string? authorization) => _secret.IsAuthorized(authorization);
}

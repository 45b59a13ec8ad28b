namespace Polyarch.Invoker.Fitness;

/// <summary>How `serve` is exposed (section "Service"): API keys and listening beyond loopback.</summary>
public sealed class ServiceOptions
{
    public const string SectionName = "Service";

    /// <summary>
    /// Whether every endpoint needs "Authorization: Bearer &lt;API key&gt;" except /healthz, /readyz and the registry
    /// webhook (which checks its own token). Default false (loopback only, every local caller trusted); scripts/services.sh turns it on.
    /// </summary>
    public bool RequireApiKey { get; set; }

    /// <summary>The API key; null reads (or generates, 0600) <see cref="ApiKeyFile"/>. Default null.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where the API key lives. Default: &lt;state directory&gt;/secrets/invoker-api.key.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Whether addresses beyond loopback may be listened on (then an API key is required). Default false.</summary>
    public bool AllowRemote { get; set; }

    /// <summary>Largest request body accepted (actions, rules, invocation params), in bytes; larger ones get 413. Default 1 MiB, as OpenWhisk's.</summary>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

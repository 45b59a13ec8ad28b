namespace Polyarch.Builder.Fitness;

/// <summary>How `serve` is exposed (section "Service"; the same options, with the same meaning, as the invoker's).</summary>
public sealed class BuilderServiceOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Service";

    /// <summary>
    /// Whether every endpoint needs "Authorization: Bearer &lt;API key&gt;" except /healthz, /readyz and the git webhook
    /// (which checks its own HMAC signature).
    /// </summary>
    /// <value>Defaults to <c>false</c> (loopback only, every local caller trusted); scripts/services.sh turns it on.</value>
    public bool RequireApiKey { get; set; }

    /// <summary>The API key; null reads (or generates, 0600) <see cref="ApiKeyFile"/>.</summary>
    /// <value>Defaults to <c>null</c>.</value>
    public string? ApiKey { get; set; }

    /// <summary>Where the API key lives.</summary>
    /// <value>Defaults to <c>secrets/builder-api.key</c> in the state directory.</value>
    public string? ApiKeyFile { get; set; }

    /// <summary>Whether addresses beyond loopback may be listened on (then an API key is required).</summary>
    /// <value>Defaults to <c>false</c>.</value>
    public bool AllowRemote { get; set; }

    /// <summary>Largest request body accepted on the REST API, in bytes; larger ones get 413 (the git webhook has Builder:Webhooks:MaxBodyBytes).</summary>
    /// <value>Defaults to 1 MiB, as OpenWhisk's.</value>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

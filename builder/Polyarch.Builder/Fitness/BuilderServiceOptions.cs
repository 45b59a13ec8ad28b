namespace Polyarch.Builder.Fitness;

/// <summary>How `serve` is exposed (section "Service"): the REST API's key, separate from the git webhook secrets.</summary>
public sealed class BuilderServiceOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Service";

    /// <summary>
    /// Whether every endpoint needs "Authorization: Bearer &lt;API key&gt;" except /healthz, /readyz and the git webhook
    /// (which checks its own HMAC signature).
    /// </summary>
    /// <value>Defaults to <c>false</c>; scripts/services.sh turns it on.</value>
    public bool RequireApiKey { get; set; }

    /// <summary>The API key.</summary>
    /// <value>Defaults to the contents of <c>secrets/builder-api.key</c> in the state directory (generated with mode 0600).</value>
    public string? ApiKey { get; set; }

    /// <summary>Largest request body accepted on the REST API, in bytes; larger ones get 413 (the git webhook has Builder:Webhooks:MaxBodyBytes).</summary>
    /// <value>Defaults to 1 MiB, as OpenWhisk's.</value>
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;
}

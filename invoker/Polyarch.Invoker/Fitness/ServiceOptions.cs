namespace Polyarch.Invoker.Fitness;

/// <summary>How `serve` is exposed (section "Service"): API keys and listening beyond loopback.</summary>
public sealed class ServiceOptions
{
    public const string SectionName = "Service";

    /// <summary>Whether /v1 (except the registry webhook, which has its own token) needs "Authorization: Bearer &lt;API key&gt;". Default false; scripts/services.sh turns it on.</summary>
    public bool RequireApiKey { get; set; }

    /// <summary>The API key; null reads (or generates, 0600) <see cref="ApiKeyFile"/>. Default null.</summary>
    public string? ApiKey { get; set; }

    /// <summary>Where the API key lives. Default: &lt;state directory&gt;/secrets/invoker-api.key.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Whether addresses beyond loopback may be listened on (then an API key is required). Default false.</summary>
    public bool AllowRemote { get; set; }
}

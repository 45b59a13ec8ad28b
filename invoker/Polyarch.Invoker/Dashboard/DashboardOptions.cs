namespace Polyarch.Invoker.Dashboard;

/// <summary>The web dashboard `serve` renders at <c>/</c> (section "Dashboard").</summary>
internal sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>The builder's REST API (conventions.md: polyarch-builder serve on 127.0.0.1:5080).</summary>
    public Uri BuilderUrl { get; set; } = new("http://127.0.0.1:5080");

    /// <summary>The builder's API key; when unset, read from <see cref="BuilderApiKeyFile"/>.</summary>
    public string? BuilderApiKey { get; set; }

    /// <summary>Where the builder's key lives; default secrets/builder-api.key under the state directory (what the builder generates).</summary>
    public string? BuilderApiKeyFile { get; set; }

    /// <summary>The registry whose repositories the Images page lists; default Triggers:DefaultRegistry.</summary>
    public string? Registry { get; set; }

    /// <summary>How often the live view (server-sent events) looks for new activations; builds every second tick.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a login lasts without a request (sliding).</summary>
    public TimeSpan LoginLifetime { get; set; } = TimeSpan.FromHours(8);
}

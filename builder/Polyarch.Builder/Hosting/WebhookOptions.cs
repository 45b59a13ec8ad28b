using System.ComponentModel.DataAnnotations;

namespace Polyarch.Builder.Hosting;

/// <summary>Webhook secrets and limits.</summary>
public sealed class WebhookOptions
{
    /// <summary>The HMAC secret (GitHub, Gitea/Forgejo) and token (GitLab) when no provider-specific one is set.</summary>
    /// <value>Defaults to the contents of <c>builder/webhook-secret</c> in the state directory (generated with mode 0600).</value>
    public string? Secret { get; set; }

    /// <summary>GitHub's secret, if different from <see cref="Secret"/>.</summary>
    public string? GitHubSecret { get; set; }

    /// <summary>Gitea/Forgejo's secret, if different from <see cref="Secret"/>.</summary>
    public string? GiteaSecret { get; set; }

    /// <summary>GitLab's token, if different from <see cref="Secret"/>.</summary>
    public string? GitLabToken { get; set; }

    /// <summary>The largest body accepted.</summary>
    /// <value>Defaults to 1 MiB.</value>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxBodyBytes { get; set; } = 1024 * 1024;
}

using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Webhooks;

/// <summary>
/// The secret for each provider: configured, else the generated <c>builder/webhook-secret</c> in the state
/// directory (created with mode 0600 on first use, never logged).
/// </summary>
internal sealed class WebhookSecrets
{
    private readonly WebhookOptions _options;
    private readonly Lazy<string> _shared;

    public WebhookSecrets(IOptions<BuilderOptions> options)
    {
        _options = options.Value.Webhooks;
        var file = Path.Combine(StatePaths.BuilderDirectory(options.Value.StateDirectory), "webhook-secret");
        _shared = new Lazy<string>(() => _options.Secret ?? SecretFile.ReadOrCreate(file));
    }

    public string For(GitProvider provider) => provider switch
    {
        GitProvider.GitHub => _options.GitHubSecret,
        GitProvider.Gitea => _options.GiteaSecret,
        GitProvider.GitLab => _options.GitLabToken,
        _ => null,
    } ?? _shared.Value;
}

using System.Security.Cryptography;
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
        var file = Path.Combine(StatePaths.BuilderDirectory(options.Value), "webhook-secret");
        _shared = new Lazy<string>(() => _options.Secret ?? ReadOrCreate(file));
    }

    public string For(GitProvider provider) => provider switch
    {
        GitProvider.GitHub => _options.GitHubSecret,
        GitProvider.Gitea => _options.GiteaSecret,
        GitProvider.GitLab => _options.GitLabToken,
        _ => null,
    } ?? _shared.Value;

    private static string ReadOrCreate(string file)
    {
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }

        StatePaths.CreatePrivateDirectory(Path.GetDirectoryName(file)!);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            using var writer = new StreamWriter(file, options);
            writer.Write(secret);
            return secret;
        }
        catch (IOException) when (File.Exists(file))
        {
            return File.ReadAllText(file).Trim(); // Another process created it first.
        }
    }
}

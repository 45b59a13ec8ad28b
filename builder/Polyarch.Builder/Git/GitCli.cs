using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Builder.Errors;

namespace Polyarch.Builder.Git;

/// <summary>
/// The git command-line client, for what the bundled libgit2 cannot do: fetching over ssh. Runs through CliWrap with an
/// argument list, never prompts (GIT_TERMINAL_PROMPT=0, ssh BatchMode), and honours Builder:GitSshCommand / $GIT_SSH_COMMAND.
/// </summary>
internal sealed class GitCli(string? sshCommand)
{
    private const string GitPath = "git";

    /// <summary>Fetches heads and tags of <paramref name="url"/> into the bare mirror at <paramref name="mirror"/>.</summary>
    public void Fetch(string mirror, string url, IReadOnlyList<string> refSpecs, CancellationToken cancellationToken) =>
        Run(mirror, url, ["fetch", "--prune", "--no-tags", "--", url, .. refSpecs], cancellationToken);

    /// <summary>The branch the remote's HEAD names (<c>git ls-remote --symref</c>), or null.</summary>
    public string? DefaultBranch(string mirror, string url, CancellationToken cancellationToken)
    {
        var output = Run(mirror, url, ["ls-remote", "--symref", "--", url, "HEAD"], cancellationToken);
        // "ref: refs/heads/main\tHEAD"
        return output.Split('\n')
            .Select(line => line.Split('\t'))
            .Where(parts => parts.Length == 2 && parts[1] == "HEAD" && parts[0].StartsWith("ref: ", StringComparison.Ordinal))
            .Select(parts => parts[0]["ref: ".Length..])
            .FirstOrDefault();
    }

    private string Run(string mirror, string url, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string?>
        {
            ["GIT_TERMINAL_PROMPT"] = "0",
            ["GIT_SSH_COMMAND"] = sshCommand ?? Environment.GetEnvironmentVariable("GIT_SSH_COMMAND") ?? "ssh -o BatchMode=yes",
        };
        BufferedCommandResult result;
        try
        {
            result = CliWrap.Cli.Wrap(GitPath)
                .WithArguments(["-C", mirror, .. arguments])
                .WithEnvironmentVariables(environment)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken)
                .GetAwaiter().GetResult();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new DependencyUnavailableException(
                $"Fetching {InputText.Printable(url)} over ssh needs the git command-line client, which is not installed ({exception.Message}). " +
                "Install git (apt-get install git), or use an https URL with Builder:GitToken.", exception);
        }

        if (result.ExitCode != 0)
        {
            var error = string.Join(' ', result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(3));
            throw new DependencyUnavailableException(
                $"Fetching {InputText.Printable(url)} with git over ssh failed (exit code {result.ExitCode}): {error}. Check the URL, that this machine's ssh " +
                "reaches the host and is allowed to read the repository (a deploy key: Builder:GitSshCommand='ssh -i KEY -o IdentitiesOnly=yes -o BatchMode=yes'), " +
                "and that the host key is in known_hosts.");
        }

        return result.StandardOutput;
    }
}

using System.Text;
using CliWrap;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Buildx;

/// <summary>Runs the docker client through CliWrap with argument lists (never a shell string).</summary>
internal sealed class DockerCli
{
    private const int TailLines = 60;
    private readonly string _dockerPath;
    private readonly TimeSpan _gracePeriod;

    public DockerCli(IOptions<BuilderOptions> options)
    {
        _dockerPath = options.Value.DockerPath;
        _gracePeriod = options.Value.CancelGracePeriod;
    }

    /// <summary>The docker executable used.</summary>
    public string DockerPath => _dockerPath;

    /// <summary>
    /// Runs docker; <paramref name="cancellationToken"/> first interrupts it (SIGINT, buildx cancels its
    /// solve), then kills it after the grace period (CliWrap's graceful/forceful token pair).
    /// </summary>
    public async Task<DockerCliResult> RunAsync(
        IReadOnlyList<string> arguments,
        string workingDirectory,
        Action<string>? onStandardErrorLine,
        CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var tail = new Queue<string>();
        using var forceful = new CancellationTokenSource();
        await using var registration = cancellationToken.Register(() => forceful.CancelAfter(_gracePeriod));
        var command = CliWrap.Cli.Wrap(_dockerPath)
            .WithArguments(arguments)
            .WithWorkingDirectory(workingDirectory)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line =>
            {
                lock (tail)
                {
                    tail.Enqueue(line);
                    if (tail.Count > TailLines * 40)
                    {
                        tail.Dequeue();
                    }
                }

                onStandardErrorLine?.Invoke(line);
            }));
        try
        {
            var result = await command.ExecuteAsync(forceful.Token, cancellationToken).ConfigureAwait(false);
            string tailText;
            lock (tail)
            {
                tailText = string.Join('\n', tail.Where(l => !l.StartsWith(' ') && l is not "{" and not "}").TakeLast(TailLines));
            }

            return new DockerCliResult(result.ExitCode, stdout.ToString(), tailText);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new DependencyUnavailableException(
                $"Could not start {_dockerPath}: {exception.Message}. Install docker (see ./scripts/host.sh up) or set Builder:DockerPath.", exception);
        }
    }
}

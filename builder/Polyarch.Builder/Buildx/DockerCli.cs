using System.Text;
using CliWrap;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Buildx;

/// <summary>
/// Runs the docker client through CliWrap with argument lists (never a shell string); <c>buildx …</c> commands run the
/// buildx plugin directly when <see cref="BuildxPlugin.Resolve"/> finds one (Builder:BuildxPath).
/// </summary>
internal sealed partial class DockerCli
{
    private const int TailLines = 60;

    // The docker CLI sets it for a plugin it runs; buildx then expects to be a plugin ("buildx" as its first argument).
    // A builder started from a plugin would pass it on, so the direct run clears it. (The CLI also passes
    // DOCKER_CLI_PLUGIN_SOCKET, to end the plugin when the CLI exits, and OTEL_RESOURCE_ATTRIBUTES, telemetry only.)
    private const string PluginMarkerVariable = "DOCKER_CLI_PLUGIN_ORIGINAL_CLI_COMMAND";
    // buildx runs `git rev-parse` in the build context on every bake (≈ 5 ms) for vcs info in the provenance; the checkout has
    // no .git (TreeExporter), so it finds nothing — or, when the state directory sits inside some repository, that one's
    // commit and remote URL (six git runs). The builder writes its own source/revision labels and annotations.
    private const string GitInfoVariable = "BUILDX_GIT_INFO";
    private readonly string _dockerPath;
    private readonly string? _buildxPath;
    private readonly TimeSpan _gracePeriod;

    public DockerCli(IOptions<BuilderOptions> options, ILogger<DockerCli>? logger = null)
    {
        _dockerPath = options.Value.DockerPath;
        _buildxPath = BuildxPlugin.Resolve(options.Value);
        _gracePeriod = options.Value.CancelGracePeriod;
        if (logger is null)
        {
            return;
        }

        if (_buildxPath is null)
        {
            Log.BuildxThroughDocker(logger, _dockerPath);
        }
        else
        {
            Log.BuildxDirect(logger, _buildxPath);
        }
    }

    /// <summary>The docker executable used.</summary>
    public string DockerPath => _dockerPath;

    /// <summary>The buildx plugin run directly for <c>buildx …</c> commands, or null when they go through <see cref="DockerPath"/>.</summary>
    public string? BuildxPath => _buildxPath;

    /// <summary>
    /// Runs docker; <paramref name="cancellationToken"/> first interrupts it (SIGINT, buildx cancels its
    /// solve), then kills it after the grace period (CliWrap's graceful/forceful token pair).
    /// </summary>
    public Task<DockerCliResult> RunAsync(
        IReadOnlyList<string> arguments,
        string workingDirectory,
        Action<string>? onStandardErrorLine,
        CancellationToken cancellationToken) =>
        RunAsync(arguments, workingDirectory, onStandardErrorLine, processFile: null, cancellationToken);

    /// <summary>
    /// Runs docker as above; with <paramref name="processFile"/>, in a process group of its own (<c>setsid</c>: the
    /// docker client and its buildx plugin) whose id is written to that file, so that a builder started after this one
    /// was killed (<c>kill -9</c>) can end the orphaned bake before it builds again (<see cref="OrphanedBakes"/>).
    /// </summary>
    public async Task<DockerCliResult> RunAsync(
        IReadOnlyList<string> arguments,
        string workingDirectory,
        Action<string>? onStandardErrorLine,
        string? processFile,
        CancellationToken cancellationToken)
    {
        var stdout = new StringBuilder();
        var tail = new Queue<string>();
        using var forceful = new CancellationTokenSource();
        await using var registration = cancellationToken.Register(() => forceful.CancelAfter(_gracePeriod));
        var setsid = processFile is null ? null : OrphanedBakes.SetsidPath;
        var buildx = arguments.Count > 0 && arguments[0] == "buildx";
        var direct = buildx && _buildxPath is not null;
        var executable = direct ? _buildxPath! : _dockerPath;
        IReadOnlyList<string> executableArguments = direct ? [.. arguments.Skip(1)] : arguments;
        var command = (setsid is null ? CliWrap.Cli.Wrap(executable).WithArguments(executableArguments) : CliWrap.Cli.Wrap(setsid).WithArguments([executable, .. executableArguments]))
            .WithEnvironmentVariables(environment =>
            {
                if (direct)
                {
                    environment.Set(PluginMarkerVariable, null);
                }

                if (buildx)
                {
                    environment.Set(GitInfoVariable, "0");
                }
            })
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
            var task = command.ExecuteAsync(forceful.Token, cancellationToken);
            var group = setsid is null ? null : $"-{task.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
            if (processFile is not null)
            {
                // setsid execs docker (or the plugin) in place (it is not a group leader), so the pid is the new group's id. Written as soon
                // as the process exists; a builder killed in the microseconds before leaves that one bake unrecorded.
                await OrphanedBakes.WriteAsync(processFile, task.ProcessId, isGroup: setsid is not null, arguments).ConfigureAwait(false);
            }

            // CliWrap interrupts and kills docker (or the plugin) itself; the whole group (docker's buildx plugin too) gets the same signals.
            await using var interruptGroup = group is null ? default : cancellationToken.Register(() => _ = SignalAsync("INT", group));
            await using var killGroup = group is null ? default : forceful.Token.Register(() => _ = SignalAsync("KILL", group));
            CommandResult result;
            try
            {
                result = await task.ConfigureAwait(false);
            }
            finally
            {
                if (group is not null && cancellationToken.IsCancellationRequested)
                {
                    // Whatever the interrupt left behind in the group ends now.
                    await SignalAsync("KILL", group).ConfigureAwait(false);
                }
            }

            string tailText;
            lock (tail)
            {
                tailText = string.Join('\n', tail.Where(l => !l.StartsWith(' ') && l is not "{" and not "}").TakeLast(TailLines));
            }

            return new DockerCliResult(result.ExitCode, stdout.ToString(), tailText);
        }
        catch (System.ComponentModel.Win32Exception exception) when (direct)
        {
            throw new DependencyUnavailableException(
                $"Could not start the buildx plugin {executable}: {exception.Message}. Install docker-buildx (see ./scripts/host.sh up), " +
                "set Builder:BuildxPath to the plugin, or to `docker` to run buildx through Builder:DockerPath.", exception);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new DependencyUnavailableException(
                $"Could not start {_dockerPath}: {exception.Message}. Install docker (see ./scripts/host.sh up) or set Builder:DockerPath.", exception);
        }
    }

    private static async Task SignalAsync(string signal, string target)
    {
        try
        {
            await CliWrap.Cli.Wrap("kill").WithArguments(["-s", signal, "--", target]).WithValidation(CommandResultValidation.None)
                .ExecuteAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Best effort: the group may be gone already.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 311, Level = LogLevel.Information, Message = "buildx commands run the plugin {BuildxPath} directly")]
        public static partial void BuildxDirect(ILogger logger, string buildxPath);

        [LoggerMessage(EventId = 312, Level = LogLevel.Information, Message = "buildx commands run through {DockerPath} buildx")]
        public static partial void BuildxThroughDocker(ILogger logger, string dockerPath);
    }
}

using System.Globalization;
using CliWrap;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Buildx;

/// <summary>
/// The bake a builder process leaves behind when it is killed (<c>kill -9</c>): docker and its buildx plugin run in a
/// process group of their own, recorded in <c>work/&lt;build id&gt;/bake.process</c>; a builder starting up ends that
/// group (SIGINT, then SIGKILL after <see cref="BuilderOptions.CancelGracePeriod"/>) before it queues the build again.
/// </summary>
internal sealed partial class OrphanedBakes(IOptions<BuilderOptions> options, ILogger<OrphanedBakes> logger)
{
    /// <summary>The file in a build's work directory that names its running bake.</summary>
    public const string FileName = "bake.process";

    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxGrace = TimeSpan.FromSeconds(30);
    private readonly string _workDirectory = Path.Combine(StatePaths.BuilderDirectory(options.Value.StateDirectory), "work");
    private readonly TimeSpan _grace = options.Value.CancelGracePeriod < MaxGrace ? options.Value.CancelGracePeriod : MaxGrace;

    /// <summary><c>setsid</c> (util-linux), or null where it is missing (then only the docker process itself is recorded).</summary>
    public static string? SetsidPath { get; } = new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists);

    /// <summary>Records a started bake: its pid, whether it leads its own group, the builder that owns it, and what identifies it.</summary>
    public static Task WriteAsync(string file, int pid, bool isGroup, IReadOnlyList<string> arguments) =>
        File.WriteAllLinesAsync(file, [
            pid.ToString(CultureInfo.InvariantCulture),
            isGroup ? "group" : "process",
            Environment.ProcessId.ToString(CultureInfo.InvariantCulture),
            Marker(arguments) ?? "",
        ]);

    /// <summary>Ends the bake build <paramref name="buildId"/> left running, if its builder is gone; true when one was ended.</summary>
    public async Task<bool> EndAsync(string buildId, CancellationToken cancellationToken)
    {
        var file = Path.Combine(_workDirectory, buildId, FileName);
        if (!File.Exists(file))
        {
            return false;
        }

        var lines = await File.ReadAllLinesAsync(file, cancellationToken);
        if (lines.Length < 4 || !int.TryParse(lines[0], CultureInfo.InvariantCulture, out var pid) || !int.TryParse(lines[2], CultureInfo.InvariantCulture, out var owner))
        {
            return false;
        }

        // The builder that started it still runs (a CLI beside this service): it is not an orphan.
        // The pid may have been reused since (a reboot): only a process whose command line names this build is ended.
        if (owner != Environment.ProcessId && IsAlive(owner) || !IsAlive(pid) || lines[3].Length == 0 || !CommandLine(pid).Contains(lines[3], StringComparison.Ordinal))
        {
            return false;
        }

        var target = lines[1] == "group" ? $"-{pid}" : pid.ToString(CultureInfo.InvariantCulture);
        Log.Ending(logger, buildId, pid, lines[1]);
        await SignalAsync("INT", target, cancellationToken);
        for (var waited = TimeSpan.Zero; waited < _grace && IsAlive(pid); waited += Poll)
        {
            await Task.Delay(Poll, cancellationToken);
        }

        if (IsAlive(pid) || lines[1] == "group")
        {
            // SIGKILL to the whole group also takes the buildx plugin and anything the interrupt left behind.
            await SignalAsync("KILL", target, cancellationToken);
        }

        return true;
    }

    // The staging tag (…:polyarch-build-<id>) is on every bake's command line and names its build.
    private static string? Marker(IReadOnlyList<string> arguments) =>
        arguments.Select(a => a.IndexOf(":polyarch-build-", StringComparison.Ordinal) is var at and >= 0 ? a[(at + 1)..] : null).FirstOrDefault(m => m is not null);

    private static bool IsAlive(int pid)
    {
        try
        {
            // A zombie (state Z) has exited; only its parent's wait is missing.
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return !stat[(stat.LastIndexOf(')') + 1)..].TrimStart().StartsWith('Z');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
    }

    private static async Task SignalAsync(string signal, string target, CancellationToken cancellationToken) =>
        await CliWrap.Cli.Wrap("kill").WithArguments(["-s", signal, "--", target]).WithValidation(CommandResultValidation.None)
            .ExecuteAsync(cancellationToken).ConfigureAwait(false);

    private static partial class Log
    {
        [LoggerMessage(EventId = 310, Level = LogLevel.Warning, Message = "Build {BuildId}: ending the bake a killed builder left running (pid {Pid}, {Kind}) before building it again")]
        public static partial void Ending(ILogger logger, string buildId, int pid, string kind);
    }
}

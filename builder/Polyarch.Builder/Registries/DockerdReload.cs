using CliWrap;

namespace Polyarch.Builder.Registries;

/// <summary>Makes the local dockerd read daemon.json again by SIGHUP (a reload: containers keep running, nothing restarts).</summary>
internal static class DockerdReload
{
    public const string PidFile = "/var/run/docker.pid";

    public static bool Possible => File.Exists(PidFile);

    /// <summary>Sends SIGHUP to the pid in <see cref="PidFile"/> and returns it.</summary>
    public static async Task<string> ReloadAsync(CancellationToken cancellationToken)
    {
        var pid = (await File.ReadAllTextAsync(PidFile, cancellationToken)).Trim();
        await CliWrap.Cli.Wrap("kill").WithArguments(["-HUP", "--", pid]).ExecuteAsync(cancellationToken);
        return pid;
    }
}

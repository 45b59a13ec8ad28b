namespace Polyarch.Builder.Hosting;

/// <summary>The state-directory convention shared by every Polyarch component.</summary>
internal static class StatePaths
{
    public static string DefaultStateDirectory()
    {
        var explicitDir = Environment.GetEnvironmentVariable("POLYARCH_STATE_DIR");
        if (!string.IsNullOrWhiteSpace(explicitDir))
        {
            return explicitDir;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_STATE_HOME");
        if (!string.IsNullOrWhiteSpace(xdg))
        {
            return Path.Combine(xdg, "polyarch");
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "polyarch");
    }

    /// <summary>Where what outlives a state directory is cached: <c>$XDG_CACHE_HOME/polyarch</c>, else <c>~/.cache/polyarch</c>.</summary>
    public static string DefaultCacheDirectory() =>
        Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } xdg
            ? Path.Combine(xdg, "polyarch")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "polyarch");

    /// <summary>The builder's own folder inside <paramref name="stateDirectory"/>.</summary>
    public static string BuilderDirectory(string stateDirectory) => Path.Combine(stateDirectory, "builder");

    /// <summary>Creates a directory only its owner can read (build checkouts, secrets).</summary>
    public static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }
}

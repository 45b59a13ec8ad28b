namespace Polyarch.Invoker.State;

/// <summary>Finds the state directory: configured, else $POLYARCH_STATE_DIR, $XDG_STATE_HOME/polyarch, ~/.local/state/polyarch.</summary>
internal static class StateDirectory
{
    public static string Resolve(string? configured)
    {
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return configured;
        }

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
}

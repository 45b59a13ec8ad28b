namespace Polyarch.Testing.Hosting;

/// <summary>What one run of a CLI verb printed, and its exit code.</summary>
public sealed record CliResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

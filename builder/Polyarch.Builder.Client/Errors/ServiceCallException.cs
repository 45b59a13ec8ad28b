namespace Polyarch.Builder.Errors;

/// <summary>A running builder service refused or failed a CLI's call; carries the exit code its answer maps to.</summary>
public sealed class ServiceCallException(string message, int exitCode, Exception? innerException = null)
    : BuilderException(message, innerException)
{
    /// <inheritdoc />
    public override int ExitCode { get; } = exitCode;
}

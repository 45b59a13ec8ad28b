namespace Polyarch.Invoker.Hosting.Client;

/// <summary>A call to the invoker service that failed, with the CLI's exit code for it (conventions.md).</summary>
internal sealed class ServiceCallException(string message, int exitCode, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

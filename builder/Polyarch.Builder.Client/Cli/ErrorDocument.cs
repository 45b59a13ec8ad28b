namespace Polyarch.Builder.Cli;

/// <summary>A CLI error as --output json/yaml prints it on stdout: <c>{"error": {message, exitCode, buildId, platform, step, logTail}}</c>.</summary>
internal sealed record ErrorDocument(ErrorDocument.Body Error)
{
    /// <summary>The error itself (nulls left out).</summary>
    internal sealed record Body(string Message, int ExitCode, string? BuildId, string? Platform, string? Step, string? LogTail);
}

namespace Polyarch.Builder.Builds;

/// <summary>Why a build failed: the message, the CLI exit code, and the platform and step when known.</summary>
public sealed record BuildError(string Message, int ExitCode, string? Platform = null, string? Step = null, string? LogTail = null);

namespace Polyarch.Builder.Buildx;

/// <summary>What one docker invocation returned.</summary>
internal sealed record DockerCliResult(int ExitCode, string StandardOutput, string StandardErrorTail);

namespace Polyarch.Builder.Buildx;

/// <summary>The step buildx reported as failed.</summary>
public sealed record BuildFailure(string? Platform, string Step, string Error, string LogTail);

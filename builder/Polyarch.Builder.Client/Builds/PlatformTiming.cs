namespace Polyarch.Builder.Builds;

/// <summary>How long one platform's steps took, and whether one failed.</summary>
public sealed record PlatformTiming(string Platform, long DurationMs, int Steps, bool Failed);

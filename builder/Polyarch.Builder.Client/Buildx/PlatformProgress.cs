namespace Polyarch.Builder.Buildx;

/// <summary>Progress of one platform in a running build.</summary>
/// <param name="Platform">e.g. linux/arm64.</param>
/// <param name="Done">Steps completed (cached or run).</param>
/// <param name="Total">Steps seen so far.</param>
/// <param name="Current">The step running now, if any.</param>
/// <param name="Failed">Whether a step of this platform failed.</param>
/// <param name="Duration">From the first step's start to the last step's end.</param>
public sealed record PlatformProgress(string Platform, int Done, int Total, string? Current, bool Failed, TimeSpan Duration);

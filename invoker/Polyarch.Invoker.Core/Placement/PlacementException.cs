namespace Polyarch.Invoker.Placement;

/// <summary>
/// No candidate (variant, target) fits the request, the backend and the requirements; carries the why-not table.
/// Both backends throw it (Kubernetes' per-node failures derive from it), so REST answers 422 and a non-blocking call
/// or a rule firing records it the same way.
/// </summary>
public class PlacementException(
    string message,
    IReadOnlyList<string> imagePlatforms,
    IReadOnlyList<BackendPlatform> backendPlatforms,
    IReadOnlyList<string> failures,
    IReadOnlyList<CandidateVerdict>? candidates = null) : InvokerException(message)
{
    public IReadOnlyList<string> ImagePlatforms { get; } = imagePlatforms;

    public IReadOnlyList<BackendPlatform> BackendPlatforms { get; } = backendPlatforms;

    /// <summary>Per candidate variant, the requirement that failed (text).</summary>
    public IReadOnlyList<string> Failures { get; } = failures;

    /// <summary>The why-not table: per candidate (variant, target), the reason.</summary>
    public IReadOnlyList<CandidateVerdict> Candidates { get; } = candidates ?? [];
}

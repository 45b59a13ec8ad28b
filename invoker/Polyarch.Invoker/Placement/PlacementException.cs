namespace Polyarch.Invoker.Placement;

/// <summary>No variant of the image fits the request, the backend and the requirements.</summary>
public sealed class PlacementException(
    string message,
    IReadOnlyList<string> imagePlatforms,
    IReadOnlyList<BackendPlatform> backendPlatforms,
    IReadOnlyList<string> failures) : InvokerException(message)
{
    public IReadOnlyList<string> ImagePlatforms { get; } = imagePlatforms;

    public IReadOnlyList<BackendPlatform> BackendPlatforms { get; } = backendPlatforms;

    /// <summary>Per candidate variant, the requirement that failed.</summary>
    public IReadOnlyList<string> Failures { get; } = failures;
}

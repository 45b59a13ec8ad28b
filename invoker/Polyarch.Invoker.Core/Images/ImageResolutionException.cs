namespace Polyarch.Invoker.Images;

/// <summary>An image reference could not be resolved to its variants.</summary>
public sealed class ImageResolutionException(string image, string message, bool dependencyUnavailable, Exception? inner = null)
    : InvokerException(message, inner)
{
    public string Image { get; } = image;

    /// <summary>True when the registry could not be reached (as opposed to a bad or missing reference).</summary>
    public bool DependencyUnavailable { get; } = dependencyUnavailable;
}

using Polyarch.Registry.References;

namespace Polyarch.Registry.Platforms;

/// <summary>An image has no runnable variant for the requested platform.</summary>
public sealed class NoMatchingPlatformException : RegistryException
{
    public NoMatchingPlatformException(Platform requested, IReadOnlyList<Platform> available, ImageReference? reference = null)
        : base(Describe(requested, available, reference))
    {
        Requested = requested;
        Available = available;
        Reference = reference;
    }

    /// <summary>The platform that was asked for.</summary>
    public Platform Requested { get; }

    /// <summary>The runnable platforms the image has.</summary>
    public IReadOnlyList<Platform> Available { get; }

    /// <summary>The image, when known.</summary>
    public ImageReference? Reference { get; }

    private static string Describe(Platform requested, IReadOnlyList<Platform> available, ImageReference? reference)
    {
        var image = reference is null ? "The image" : $"Image {reference}";
        var has = available.Count == 0 ? "it has no runnable variant at all" : "it has " + string.Join(", ", available);
        return $"{image} has no variant for {requested} ({has}). " +
               $"Build it with --platform {requested} or run it on one of those.";
    }
}

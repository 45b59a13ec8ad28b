using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>The registry has no manifest for a reference (where an answer was required).</summary>
public sealed class ManifestNotFoundException : RegistryException
{
    public ManifestNotFoundException(ImageReference reference)
        : base($"The registry has no image {reference}. Check the repository and tag (polyarch-builder manifest inspect " +
               $"{reference.RepositoryName}:<tag>), or push it first.")
    {
        Reference = reference;
    }

    /// <summary>The reference that was looked up.</summary>
    public ImageReference Reference { get; }
}

namespace Polyarch.Registry.Manifests;

/// <summary>Content that should be a manifest, index or config but cannot be read as one.</summary>
public sealed class InvalidManifestException : RegistryException
{
    public InvalidManifestException(string source, string reason, Exception? innerException = null)
        : base($"The manifest {source} cannot be read: {reason}. " +
               "Check that the reference points at an OCI or Docker v2 image (not an artifact or a schema 1 manifest).",
               innerException)
    {
        Source = source;
    }

    /// <summary>Where the content came from (a reference or URL).</summary>
    public new string Source { get; }
}

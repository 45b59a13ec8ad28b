namespace Polyarch.Registry.Artifacts;

/// <summary>An artifact that cannot be pushed or pulled as asked: a bad title, a duplicate file, a subject elsewhere, not an artifact.</summary>
public sealed class InvalidArtifactException : RegistryException
{
    public InvalidArtifactException(string source, string reason)
        : base($"The artifact {source} is refused: {reason}.")
    {
        Source = source;
    }

    /// <summary>The artifact's reference, or the file it was to be made of.</summary>
    public new string Source { get; }
}

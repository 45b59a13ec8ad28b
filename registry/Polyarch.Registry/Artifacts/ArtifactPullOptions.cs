namespace Polyarch.Registry.Artifacts;

/// <summary>Limits of <see cref="IArtifactStore.PullAsync"/>.</summary>
public sealed record ArtifactPullOptions
{
    /// <summary>The largest layer written; a larger one (as its descriptor says, or as read) stops the pull with <see cref="Client.ContentTooLargeException"/>.</summary>
    /// <value>1 GiB by default.</value>
    public long MaxFileBytes { get; init; } = 1L << 30;

    /// <summary>Whether files already in the directory may be replaced.</summary>
    /// <value>False by default: an existing file stops the pull before anything is written.</value>
    public bool Overwrite { get; init; }
}

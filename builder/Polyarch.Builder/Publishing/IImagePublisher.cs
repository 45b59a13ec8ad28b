namespace Polyarch.Builder.Publishing;

/// <summary>What the builder needs from the registry: verify a pushed index, then point tags at it.</summary>
internal interface IImagePublisher
{
    /// <summary>Reads index <paramref name="digest"/> back and checks every platform; throws <see cref="Errors.BuildFailedException"/> if one is missing or wrong.</summary>
    public Task<VerifiedImage> VerifyAsync(string registry, string repository, string digest, IReadOnlyList<string> platforms, Action<string> onRetry, CancellationToken cancellationToken);

    /// <summary>
    /// Writes each variant's placement labels onto its entry in the verified index (<see cref="Polyarch.Registry.Indexes.PlacementAnnotator"/>),
    /// pushes the result under <paramref name="stagingTag"/> and verifies it again, annotations included: the index the real tags get.
    /// <c>indexAnnotations</c> (the build's trace context) are set on the index itself.
    /// </summary>
    public Task<VerifiedImage> AnnotateAsync(string registry, VerifiedImage image, string stagingTag, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? indexAnnotations = null);

    /// <summary>Throws <see cref="Errors.DependencyUnavailableException"/> when the registry does not answer <c>/v2/</c>.</summary>
    public Task EnsureReachableAsync(string registry, CancellationToken cancellationToken);

    /// <summary>The digest tag <paramref name="tag"/> points at, or null when the tag does not exist.</summary>
    public Task<string?> FindTagAsync(string registry, string repository, string tag, CancellationToken cancellationToken);

    /// <summary>Points each tag at manifest <paramref name="digest"/> by a manifest PUT (no rebuild, no re-push of blobs).</summary>
    public Task TagAsync(string registry, string repository, string digest, IReadOnlyList<string> tags, Action<string> onRetry, CancellationToken cancellationToken);
}

using System.Net;
using Polyarch.Builder.Errors;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Indexes;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Placement;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Publishing;

/// <summary>
/// Verifies pushed indexes through <see cref="IImageResolver"/> and moves tags with manifest PUTs through
/// <see cref="IRegistryClient"/> (which retries transient 5xx answers with backoff).
/// </summary>
internal sealed class RegistryImagePublisher(IImageResolver resolver, IRegistryClient client) : IImagePublisher
{
    /// <inheritdoc />
    public Task<VerifiedImage> VerifyAsync(string registry, string repository, string digest, IReadOnlyList<string> platforms, Action<string> onRetry, CancellationToken cancellationToken) =>
        VerifyAsync(registry, repository, digest, platforms, requireHints: false, cancellationToken);

    /// <inheritdoc />
    public async Task<VerifiedImage> AnnotateAsync(string registry, VerifiedImage image, string stagingTag, CancellationToken cancellationToken, IReadOnlyDictionary<string, string>? indexAnnotations = null)
    {
        ArgumentNullException.ThrowIfNull(image);
        var pinned = ImageReference.Parse($"{registry}/{image.Repository}@{image.IndexDigest}");
        var document = await CallAsync(pinned, () => client.GetManifestAsync(pinned, cancellationToken)).ConfigureAwait(false)
            ?? throw new BuildFailedException($"{pinned} is not in the registry any more, so it cannot be annotated. No tag was moved; build again.");
        byte[] annotated;
        try
        {
            annotated = PlacementAnnotator.Annotate(document.Content.Span, image.Hints, pinned.ToString(), indexAnnotations);
        }
        catch (InvalidManifestException exception)
        {
            throw new BuildFailedException($"Writing the placement annotations into {pinned} failed: {exception.Message} No tag was moved; build again.", innerException: exception);
        }

        // The annotated index replaces the bake's under the staging tag (which no rule fires for); it is verified as a
        // whole again before any real tag moves, so a tag never points at an index that was not read back.
        var staging = ImageReference.Parse($"{registry}/{image.Repository}:{stagingTag}");
        var digest = await CallAsync(staging, () => client.PutManifestAsync(staging, annotated, document.MediaType, cancellationToken)).ConfigureAwait(false);
        return await VerifyAsync(registry, image.Repository, digest.ToString(), [.. image.Platforms.Select(p => p.Platform)], requireHints: true, cancellationToken).ConfigureAwait(false);
    }

    private async Task<VerifiedImage> VerifyAsync(string registry, string repository, string digest, IReadOnlyList<string> platforms, bool requireHints, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse($"{registry}/{repository}@{digest}");
        var index = await CallAsync(reference, () => resolver.ResolveAsync(reference, cancellationToken)).ConfigureAwait(false);
        if (index.MediaType is not (MediaTypes.OciIndex or MediaTypes.DockerManifestList))
        {
            throw new BuildFailedException($"{reference} is a single-platform manifest ({index.MediaType}), not an index. Check that the builder supports multi-platform output.");
        }

        // Every platform's manifest and config are read at once (issue 18, P4: one round trip's time instead of one per
        // platform after each bake); the checks below still run, and report, in the order the platforms were asked for.
        var wanted = platforms.Select(name => Platform.Parse(name).Normalize())
            .Select(platform => (Platform: platform, Variant: index.Variants.FirstOrDefault(v => v.Platform.Normalize() == platform)))
            .ToList();
        var configs = await Task.WhenAll(wanted.Select(w => w.Variant is null
            ? Task.FromResult<ImageConfig?>(null)
            : ReadConfigAsync(reference, w.Variant, cancellationToken))).ConfigureAwait(false);

        var problems = new List<string>();
        var verified = new List<PlatformDigest>();
        var hints = new Dictionary<Digest, PlacementHints>();
        for (var i = 0; i < wanted.Count; i++)
        {
            var (platform, variant) = wanted[i];
            if (variant is null || configs[i] is not { } config)
            {
                problems.Add($"no runnable variant for {platform}");
                continue;
            }

            if (config.Platform != platform)
            {
                problems.Add($"variant {platform} ({variant.Digest}) has a config for {config.Platform}");
                continue;
            }

            // An entry's placement annotations must say what its config says: the invoker places from them alone.
            var expected = PlacementHints.FromConfig(config);
            if (variant.Hints is { } carried && !carried.Equals(expected))
            {
                problems.Add($"variant {platform} ({variant.Digest}) carries placement annotations [{carried}] but its config's labels are [{expected}]");
                continue;
            }

            if (requireHints && variant.Hints is null)
            {
                problems.Add($"variant {platform} ({variant.Digest}) carries no placement annotations ({PlacementAnnotations.Marker})");
                continue;
            }

            hints[variant.Digest] = expected;
            verified.Add(new PlatformDigest(platform.ToString(), variant.Digest.ToString(), variant.Size, config.Architecture));
        }

        if (problems.Count > 0)
        {
            var present = string.Join(", ", index.Variants.Select(v => v.Platform.ToString()));
            throw new BuildFailedException($"The pushed index {reference} failed verification: {string.Join("; ", problems)} (it has {present}). No tag was moved; build again.");
        }

        return new VerifiedImage(repository, index.Digest.ToString(), index.MediaType, verified) { Hints = hints };
    }

    private async Task<ImageConfig?> ReadConfigAsync(ImageReference reference, ImageVariant variant, CancellationToken cancellationToken) =>
        await CallAsync(reference, () => resolver.GetConfigAsync(reference, variant, cancellationToken)).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task EnsureReachableAsync(string registry, CancellationToken cancellationToken)
    {
        // Any answer to a tags list (even 404 for a new repository) means the registry is up.
        var probe = ImageReference.Parse($"{registry}/polyarch/reachability-probe:latest");
        await CallAsync(probe, () => client.ListTagsAsync(probe, cancellationToken)).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<string?> FindTagAsync(string registry, string repository, string tag, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse($"{registry}/{repository}:{tag}");
        var descriptor = await CallAsync(reference, () => client.HeadManifestAsync(reference, cancellationToken)).ConfigureAwait(false);
        return descriptor?.Digest.ToString();
    }

    /// <inheritdoc />
    public async Task TagAsync(string registry, string repository, string digest, IReadOnlyList<string> tags, Action<string> onRetry, CancellationToken cancellationToken)
    {
        var reference = ImageReference.Parse($"{registry}/{repository}@{digest}");
        var document = await CallAsync(reference, () => client.GetManifestAsync(reference, cancellationToken)).ConfigureAwait(false)
            ?? throw new BuildFailedException($"{reference} is not in the registry, so it cannot be tagged. Build it again.");
        foreach (var tag in tags)
        {
            var target = ImageReference.Parse($"{registry}/{repository}:{tag}");
            await CallAsync(target, () => client.PutManifestAsync(target, document.Content, document.MediaType, cancellationToken)).ConfigureAwait(false);
        }
    }

    private static async Task<T> CallAsync<T>(ImageReference reference, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RegistryUnavailableException exception)
        {
            // A TLS or HTTP/HTTPS mismatch names its own fix (a registry profile); "start it" would mislead.
            throw new DependencyUnavailableException(exception.Fix is not null ? exception.Message :
                $"The registry {reference.Registry} does not answer ({exception.Message}). Start it (./scripts/host.sh up) or pass the right --registry / Builder:Registry.", exception);
        }
        catch (RegistryRequestException exception) when ((int)exception.StatusCode >= 500 || exception.StatusCode == HttpStatusCode.TooManyRequests)
        {
            throw new DependencyUnavailableException($"The registry {reference.Registry} kept failing for {reference} ({exception.Message}) after retries. Check the registry's log.", exception);
        }
        catch (RegistryException exception)
        {
            throw new BuildFailedException($"Reading or tagging {reference} failed: {exception.Message}. No tag was moved; build again.", innerException: exception);
        }
    }
}

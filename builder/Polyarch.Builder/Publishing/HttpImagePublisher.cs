using Polyarch.Builder.Errors;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Builder.Publishing;

/// <summary>
/// Verifies and tags pushed indexes with plain manifest GET/PUT, using the registry library's OCI model.
/// Stand-in until <c>Polyarch.Registry.Client</c> (IImageResolver, IRegistryClient) lands on main.
/// </summary>
internal sealed class HttpImagePublisher(RegistryHttp registryHttp) : IImagePublisher
{
    private static readonly string ManifestAccept = string.Join(", ", MediaTypes.OciIndex, MediaTypes.OciManifest, MediaTypes.DockerManifestList, MediaTypes.DockerManifest);

    /// <inheritdoc />
    public async Task<VerifiedImage> VerifyAsync(string registry, string repository, string digest, IReadOnlyList<string> platforms, Action<string> onRetry, CancellationToken cancellationToken)
    {
        var reference = $"{registry}/{repository}@{digest}";
        var document = await GetManifestAsync(registry, repository, digest, onRetry, cancellationToken).ConfigureAwait(false)
            ?? throw new BuildFailedException($"The pushed index {reference} is not in the registry. The push did not complete; build again.");
        var index = document.Index
            ?? throw new BuildFailedException($"{reference} is a single-platform manifest, not an index. Build with several platforms (or check the builder supports multi-platform output).");
        var runnable = index.Manifests.Where(m => m.IsRunnable).ToList();
        var problems = new List<string>();
        var verified = new List<PlatformDigest>();
        foreach (var platformName in platforms)
        {
            var platform = Platform.Parse(platformName);
            var descriptor = runnable.FirstOrDefault(m => m.Platform!.Normalize() == platform.Normalize());
            if (descriptor is null)
            {
                problems.Add($"no runnable variant for {platformName}");
                continue;
            }

            var child = await GetManifestAsync(registry, repository, descriptor.Digest.ToString(), onRetry, cancellationToken).ConfigureAwait(false);
            if (child?.Manifest is not { } manifest)
            {
                problems.Add($"variant {platformName} ({descriptor.Digest}) is missing or not an image manifest");
                continue;
            }

            var configBlob = await registryHttp.GetAsync(registry, $"v2/{repository}/blobs/{manifest.Config.Digest}", "*/*", onRetry, cancellationToken).ConfigureAwait(false);
            if (configBlob is null)
            {
                problems.Add($"variant {platformName} lacks its config blob {manifest.Config.Digest}");
                continue;
            }

            var config = ManifestSerializer.DeserializeConfig(configBlob.Value.Content, $"{reference} config of {platformName}");
            if (config.Platform != platform.Normalize())
            {
                problems.Add($"variant {platformName} has a config for {config.Platform}");
                continue;
            }

            verified.Add(new PlatformDigest(platform.ToString(), descriptor.Digest.ToString(), descriptor.Size, config.Architecture));
        }

        if (problems.Count > 0)
        {
            var present = string.Join(", ", runnable.Select(m => m.Platform!.ToString()));
            throw new BuildFailedException($"The pushed index {reference} failed verification: {string.Join("; ", problems)} (it has {present}). No tag was moved; build again.");
        }

        return new VerifiedImage(repository, document.Digest.ToString(), document.MediaType, verified);
    }

    /// <inheritdoc />
    public async Task EnsureReachableAsync(string registry, CancellationToken cancellationToken) =>
        await registryHttp.PingAsync(registry, cancellationToken).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task TagAsync(string registry, string repository, string digest, IReadOnlyList<string> tags, Action<string> onRetry, CancellationToken cancellationToken)
    {
        var raw = await registryHttp.GetAsync(registry, $"v2/{repository}/manifests/{digest}", ManifestAccept, onRetry, cancellationToken).ConfigureAwait(false)
            ?? throw new BuildFailedException($"{registry}/{repository}@{digest} is not in the registry, so it cannot be tagged. Build it again.");
        foreach (var tag in tags)
        {
            await registryHttp.PutAsync(registry, $"v2/{repository}/manifests/{tag}", raw.Content, raw.MediaType, onRetry, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<ManifestDocument?> GetManifestAsync(string registry, string repository, string reference, Action<string> onRetry, CancellationToken cancellationToken)
    {
        var raw = await registryHttp.GetAsync(registry, $"v2/{repository}/manifests/{reference}", ManifestAccept, onRetry, cancellationToken).ConfigureAwait(false);
        return raw is null ? null : ManifestDocument.Parse(raw.Value.Content, raw.Value.MediaType, $"{registry}/{repository}@{reference}", Digest.Parse(reference));
    }
}

using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Caching;

/// <summary>
/// Content by digest (immutable, kept until the size bound evicts it) and tag→digest answers that are
/// trusted for <see cref="RegistryOptions.TagCacheDuration"/> only — unlike caches keyed by tag for hours.
/// Keys include the repository, so content cached for one repository never answers for another.
/// </summary>
internal sealed class RegistryCache : IDisposable
{
    private const long TagEntrySize = 128;

    private readonly MemoryCache _cache;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _tagCacheDuration;

    public RegistryCache(IOptions<RegistryOptions> options, TimeProvider timeProvider)
    {
        _cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = Math.Max(1, options.Value.CacheSizeLimitBytes) });
        _timeProvider = timeProvider;
        _tagCacheDuration = options.Value.TagCacheDuration;
    }

    public ManifestDocument? FindManifest(ImageReference repository, Digest digest) =>
        _cache.TryGetValue(("manifest", repository.RepositoryName, digest), out ManifestDocument? document) ? document : null;

    public void StoreManifest(ImageReference repository, ManifestDocument document) =>
        Store(("manifest", repository.RepositoryName, document.Digest), document, document.Content.Length);

    public ReadOnlyMemory<byte>? FindBlob(ImageReference repository, Digest digest) =>
        _cache.TryGetValue(("blob", repository.RepositoryName, digest), out ReadOnlyMemory<byte> content) ? content : (ReadOnlyMemory<byte>?)null;

    public void StoreBlob(ImageReference repository, Digest digest, ReadOnlyMemory<byte> content) =>
        Store(("blob", repository.RepositoryName, digest), content, content.Length);

    /// <summary>The digest a tag pointed at, and whether that answer is still fresh.</summary>
    public (Digest Digest, bool Fresh)? FindTag(ImageReference reference) =>
        _cache.TryGetValue(("tag", reference.RepositoryName, reference.Tag), out TagEntry? entry)
            ? (entry!.Digest, _timeProvider.GetUtcNow() - entry.CheckedAt < _tagCacheDuration)
            : null;

    public void StoreTag(ImageReference reference, Digest digest) =>
        Store(("tag", reference.RepositoryName, reference.Tag), new TagEntry(digest, _timeProvider.GetUtcNow()), TagEntrySize);

    /// <summary>Drops what is known about a tag (it was deleted).</summary>
    public void ForgetTag(ImageReference reference) => _cache.Remove(("tag", reference.RepositoryName, reference.Tag));

    public void Dispose() => _cache.Dispose();

    private void Store(object key, object value, long size)
    {
        using var entry = _cache.CreateEntry(key);
        entry.Value = value;
        entry.Size = Math.Max(1, size);
    }

    private sealed record TagEntry(Digest Digest, DateTimeOffset CheckedAt);
}

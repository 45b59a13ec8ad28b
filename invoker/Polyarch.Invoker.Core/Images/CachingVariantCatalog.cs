using System.Collections.Concurrent;

namespace Polyarch.Invoker.Images;

/// <summary>
/// Caches resolutions so the warm path makes no registry calls: references by digest for good (content
/// cannot change), tags for a short time (a re-pushed tag is seen within <see cref="InvokerOptions.TagCacheDuration"/>).
/// </summary>
internal sealed class CachingVariantCatalog(IVariantCatalog inner, TimeProvider timeProvider, TimeSpan tagCacheDuration) : IVariantCatalog
{
    private readonly ConcurrentDictionary<string, (ImageVariants Variants, DateTimeOffset Expires)> _cache = new(StringComparer.Ordinal);

    public async Task<ImageVariants> GetAsync(string image, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        if (_cache.TryGetValue(image, out var entry) && entry.Expires > now)
        {
            return entry.Variants;
        }

        var variants = await inner.GetAsync(image, cancellationToken);
        var expires = image.Contains('@', StringComparison.Ordinal) ? DateTimeOffset.MaxValue : now + tagCacheDuration;
        _cache[image] = (variants, expires);
        return variants;
    }
}

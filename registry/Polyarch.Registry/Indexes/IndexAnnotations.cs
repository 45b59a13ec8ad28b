using System.Globalization;
using Polyarch.Registry.Manifests;

namespace Polyarch.Registry.Indexes;

/// <summary>The OCI annotations an assembled index carries (each only when given).</summary>
/// <param name="Created">org.opencontainers.image.created.</param>
/// <param name="Source">org.opencontainers.image.source (a git URL).</param>
/// <param name="Revision">org.opencontainers.image.revision (a commit).</param>
public sealed record IndexAnnotations(DateTimeOffset? Created = null, string? Source = null, string? Revision = null)
{
    /// <summary>The annotations as a dictionary, or null when there are none.</summary>
    public IReadOnlyDictionary<string, string>? ToDictionary()
    {
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Created is { } created)
        {
            result[Annotations.Created] = created.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        }

        if (!string.IsNullOrEmpty(Source))
        {
            result[Annotations.Source] = Source;
        }

        if (!string.IsNullOrEmpty(Revision))
        {
            result[Annotations.Revision] = Revision;
        }

        return result.Count == 0 ? null : result;
    }
}

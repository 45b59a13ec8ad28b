using Microsoft.Extensions.Logging;
using Polyarch.Registry.Client;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Indexes;

/// <inheritdoc cref="IIndexAssembler" />
internal sealed partial class IndexAssembler : IIndexAssembler
{
    private readonly IRegistryClient _client;
    private readonly SourceReader _reader;
    private readonly BlobMounter _mounter;
    private readonly ILogger<IndexAssembler> _logger;

    public IndexAssembler(IRegistryClient client, ILogger<IndexAssembler> logger)
    {
        _client = client;
        _reader = new SourceReader(client);
        _mounter = new BlobMounter(client);
        _logger = logger;
    }

    /// <inheritdoc />
    public async Task<AssembledIndex> CreateAsync(
        ImageReference target, IReadOnlyList<ImageReference> sources, IndexAnnotations? annotations = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sources);
        CheckTarget(target, sources);
        var images = await ReadAllAsync(sources, cancellationToken).ConfigureAwait(false);
        CheckDuplicates(images.Select(i => (i.Platform.ToString(), i.Source.ToString())));
        await CopyChildrenAsync(target, images, cancellationToken).ConfigureAwait(false);
        var entries = images.Select(i => i.ToEntry()).ToList();
        return await PushIndexAsync(target, entries, annotations?.ToDictionary(), [.. images.Select(i => i.ToChild())], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<AssembledIndex> AppendAsync(
        ImageReference target, ImageReference source, IndexAnnotations? annotations = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(source);
        CheckTarget(target, [source]);
        var existing = await _client.GetManifestAsync(target, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            return await CreateAsync(target, [source], annotations, cancellationToken).ConfigureAwait(false);
        }

        var image = await _reader.ReadAsync(source, cancellationToken).ConfigureAwait(false);
        var entries = await ExistingEntriesAsync(target, existing, cancellationToken).ConfigureAwait(false);
        if (existing.Index is not null && annotations?.ToDictionary() is null or { Count: 0 }
            && entries.Any(e => e.IsRunnable && e.Digest == image.Manifest.Digest))
        {
            // The very image is already in the index: appending it again (a re-run script) changes nothing.
            return new AssembledIndex(target, existing.Digest, existing.MediaType, existing.Content.Length, Children(target, entries));
        }

        CheckDuplicates(entries.Where(e => e.IsRunnable).Select(e => (e.Platform!.Normalize().ToString(), $"{target} (already in the index)"))
            .Append((image.Platform.ToString(), source.ToString())));
        await CopyChildrenAsync(target, [image], cancellationToken).ConfigureAwait(false);
        entries.Add(image.ToEntry());
        var merged = MergeAnnotations(existing.Index?.Annotations, annotations?.ToDictionary());
        var children = Children(target, entries);
        children[^1] = image.ToChild();
        return await PushIndexAsync(target, entries, merged, children, cancellationToken).ConfigureAwait(false);
    }

    private static List<AssembledChild> Children(ImageReference target, IEnumerable<Descriptor> entries) =>
        [.. entries.Where(e => e.IsRunnable)
            .Select(e => new AssembledChild(target.WithDigest(e.Digest), e.Platform!.Normalize(), e.Digest, e.MediaType, e.Size))];

    private async Task<List<SourceImage>> ReadAllAsync(IReadOnlyList<ImageReference> sources, CancellationToken cancellationToken)
    {
        var images = new List<SourceImage>(sources.Count);
        foreach (var source in sources)
        {
            images.Add(await _reader.ReadAsync(source, cancellationToken).ConfigureAwait(false));
        }

        return images;
    }

    private async Task<List<Descriptor>> ExistingEntriesAsync(ImageReference target, ManifestDocument existing, CancellationToken cancellationToken)
    {
        if (existing.Index is { } index)
        {
            return [.. index.Manifests];
        }

        // A single-platform image under the tag becomes the index's first child.
        var image = await _reader.ReadAsync(target.WithDigest(existing.Digest), cancellationToken).ConfigureAwait(false);
        return [image.ToEntry()];
    }

    private async Task CopyChildrenAsync(ImageReference target, IReadOnlyList<SourceImage> images, CancellationToken cancellationToken)
    {
        foreach (var image in images)
        {
            await _mounter.EnsureAsync(target, image, cancellationToken).ConfigureAwait(false);
            if (image.Source.Repository != target.Repository)
            {
                await _client.PutManifestAsync(target.WithDigest(image.Manifest.Digest), image.Manifest.Content, image.Manifest.MediaType, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
    }

    private async Task<AssembledIndex> PushIndexAsync(
        ImageReference target, IReadOnlyList<Descriptor> entries, IReadOnlyDictionary<string, string>? annotations,
        IReadOnlyList<AssembledChild> children, CancellationToken cancellationToken)
    {
        // A Docker manifest list only when every child is a Docker v2 manifest (what `docker manifest create` makes);
        // it has no annotations field, so annotations need an OCI index.
        var docker = entries.All(e => e.MediaType == MediaTypes.DockerManifest);
        if (docker && annotations is not null)
        {
            Log.AnnotationsDropped(_logger, target.ToString());
        }

        var index = new ImageIndex
        {
            MediaType = docker ? MediaTypes.DockerManifestList : MediaTypes.OciIndex,
            Manifests = entries,
            Annotations = docker ? null : annotations,
        };
        var content = ManifestSerializer.Serialize(index);
        var tagged = target.Digest is null ? target : ImageReference.Parse($"{target.RepositoryName}:{target.Tag ?? ImageReference.DefaultTag}");
        var digest = await _client.PutManifestAsync(tagged, content, index.MediaType, cancellationToken).ConfigureAwait(false);
        Log.IndexPushed(_logger, tagged.ToString(), digest.ToString(), string.Join(", ", children.Select(c => c.Platform)));
        return new AssembledIndex(tagged, digest, index.MediaType, content.Length, children);
    }

    private static SortedDictionary<string, string>? MergeAnnotations(IReadOnlyDictionary<string, string>? existing, IReadOnlyDictionary<string, string>? given)
    {
        if (existing is null && given is null)
        {
            return null;
        }

        var merged = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in (existing ?? new Dictionary<string, string>()).Concat(given ?? new Dictionary<string, string>()))
        {
            merged[key] = value;
        }

        return merged;
    }

    private static void CheckTarget(ImageReference target, IReadOnlyList<ImageReference> sources)
    {
        if (sources.Count == 0)
        {
            throw new IndexAssemblyException($"No sources were given for {target}; name at least one per-architecture image.");
        }

        var foreign = sources.Where(s => s.Registry != target.Registry).ToList();
        if (foreign.Count > 0)
        {
            throw new IndexAssemblyException(
                $"Sources {string.Join(", ", foreign)} are not in the registry {target.Registry} of {target}; blobs can only be " +
                "mounted within one registry. Push them to that registry first.");
        }
    }

    private static void CheckDuplicates(IEnumerable<(string Platform, string Source)> platforms)
    {
        var clashes = platforms.GroupBy(p => p.Platform).Where(g => g.Count() > 1).ToList();
        if (clashes.Count > 0)
        {
            var details = string.Join("; ", clashes.Select(g => $"{g.Key} from {string.Join(" and ", g.Select(p => p.Source))}"));
            throw new IndexAssemblyException($"Two sources have the same platform: {details}. An index holds one image per platform; drop one of them.");
        }
    }

    private static partial class Log
    {
        [LoggerMessage(3100, LogLevel.Information, "Pushed index {ImageRef} as {Digest} with {Platforms}")]
        public static partial void IndexPushed(ILogger logger, string imageRef, string digest, string platforms);

        [LoggerMessage(3101, LogLevel.Warning, "Index {ImageRef} is a Docker manifest list, which has no annotations: the given annotations were not written")]
        public static partial void AnnotationsDropped(ILogger logger, string imageRef);
    }
}

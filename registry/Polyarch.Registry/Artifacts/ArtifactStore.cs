using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <inheritdoc cref="IArtifactStore" />
internal sealed partial class ArtifactStore : IArtifactStore
{
    /// <summary>The empty JSON object <c>{}</c>: the config of an artifact (image-spec 1.1 "Guidance for an Empty Descriptor").</summary>
    private static readonly byte[] EmptyJson = "{}"u8.ToArray();

    private static readonly Descriptor EmptyDescriptor = new()
    {
        MediaType = MediaTypes.OciEmpty,
        Digest = Digest.Compute(EmptyJson),
        Size = EmptyJson.Length,
        Data = Convert.ToBase64String(EmptyJson),
    };

    private readonly RegistryClient _client;
    private readonly ReferrersFallback _fallback;
    private readonly ILogger<ArtifactStore> _logger;

    public ArtifactStore(RegistryClient client, ReferrersFallback fallback, ILogger<ArtifactStore> logger)
    {
        _client = client;
        _fallback = fallback;
        _logger = logger;
    }

    /// <inheritdoc />
    public Task<PushedArtifact> PushAsync(ImageReference target, ArtifactSpec artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        return PushCoreAsync(target, target.Tag ?? ImageReference.DefaultTag, artifact, cancellationToken);
    }

    /// <inheritdoc />
    public Task<PushedArtifact> PushUntaggedAsync(ImageReference repository, ArtifactSpec artifact, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(repository);
        return PushCoreAsync(repository, tag: null, artifact, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<ArtifactManifest?> GetAsync(ImageReference reference, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var document = await _client.GetManifestAsync(reference, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            return null;
        }

        return ArtifactManifest.From(reference, document)
            ?? throw new InvalidArtifactException(reference.ToString(), $"it is an image index ({document.MediaType}), not an artifact manifest");
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<PulledFile>> PullAsync(ImageReference reference, string directory, ArtifactPullOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        options ??= new ArtifactPullOptions();
        var artifact = await GetAsync(reference, cancellationToken).ConfigureAwait(false) ?? throw new ManifestNotFoundException(reference);
        var root = Path.GetFullPath(directory);
        var layers = artifact.Document.Manifest!.Layers.Where(l => !(l.MediaType == MediaTypes.OciEmpty && l.Title is null)).ToList();
        CheckBeforePull(artifact, layers, root, options);
        if (!Directory.Exists(root))
        {
            CreatePrivateDirectory(root);
        }

        var pulled = new List<PulledFile>();
        foreach (var layer in layers)
        {
            pulled.Add(await PullFileAsync(artifact.Reference, layer, root, options, cancellationToken).ConfigureAwait(false));
        }

        return pulled;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<Descriptor>> ListReferrersAsync(ImageReference subject, string? artifactType = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(subject);
        var digest = subject.Digest
            ?? (await _client.HeadManifestAsync(subject, cancellationToken).ConfigureAwait(false))?.Digest
            ?? throw new ManifestNotFoundException(subject);
        var viaApi = await _client.GetReferrersAsync(subject, digest, artifactType, cancellationToken).ConfigureAwait(false);
        var referrers = viaApi?.Manifests ?? await _fallback.ReadAsync(subject, digest, cancellationToken).ConfigureAwait(false);
        return [.. referrers.Where(d => artifactType is null || d.ArtifactType == artifactType)];
    }

    /// <inheritdoc />
    public async Task<ArtifactPush> DescribePushAsync(ArtifactPush push, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(push);
        var reference = push.ToReference();
        var artifact = await GetAsync(reference, cancellationToken).ConfigureAwait(false) ?? throw new ManifestNotFoundException(reference);
        return push with { ArtifactType = artifact.ArtifactType, Subject = artifact.Subject, Described = true };
    }

    private async Task<PushedArtifact> PushCoreAsync(ImageReference repository, string? tag, ArtifactSpec artifact, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(artifact);
        var source = tag is null ? repository.RepositoryName : repository.WithTag(tag).ToString();
        Check(artifact, repository, source);
        var subject = artifact.Subject is null ? null : await SubjectAsync(artifact.Subject, cancellationToken).ConfigureAwait(false);

        await _client.PushBlobAsync(repository, EmptyDescriptor.Digest, EmptyJson.Length, new MemoryStream(EmptyJson, writable: false), cancellationToken).ConfigureAwait(false);
        var layers = new List<Descriptor>();
        foreach (var file in artifact.Files)
        {
            layers.Add(await PushFileAsync(repository, file, cancellationToken).ConfigureAwait(false));
        }

        var manifest = new ImageManifest
        {
            MediaType = MediaTypes.OciManifest,
            ArtifactType = artifact.ArtifactType,
            Config = EmptyDescriptor,
            // image-spec 1.1: a manifest without layers SHOULD carry the empty descriptor as its one layer (the schema needs one).
            Layers = layers.Count == 0 ? [EmptyDescriptor] : layers,
            Subject = subject,
            Annotations = artifact.Annotations is { Count: > 0 } annotations ? annotations : null,
        };
        var content = ManifestSerializer.Serialize(manifest);
        var putTo = tag is null ? repository.WithDigest(Digest.Compute(content)) : repository.WithTag(tag);
        var (digest, subjectProcessed) = await _client.PutManifestWithSubjectAsync(putTo, content, MediaTypes.OciManifest, cancellationToken).ConfigureAwait(false);
        // What a referrers list holds for it (distribution spec "Pushing Manifests with Subject"): artifactType and every annotation.
        var descriptor = new Descriptor
        {
            MediaType = MediaTypes.OciManifest,
            Digest = digest,
            Size = content.Length,
            ArtifactType = artifact.ArtifactType,
            Annotations = manifest.Annotations,
        };
        var pinned = tag is null ? ImageReference.Parse($"{repository.RepositoryName}@{digest}") : repository.WithTag(tag).WithDigest(digest);
        Log.Pushed(_logger, pinned.ToString(), artifact.ArtifactType, artifact.Files.Count);
        if (subject is null || subjectProcessed)
        {
            return new PushedArtifact(pinned, descriptor, null, null);
        }

        var (referrersTag, indexDigest) = await _fallback.AddAsync(repository, subject.Digest, descriptor, cancellationToken).ConfigureAwait(false);
        return new PushedArtifact(pinned, descriptor, referrersTag, indexDigest);
    }

    private static void Check(ArtifactSpec artifact, ImageReference repository, string source)
    {
        var problems = new List<string>();
        if (!MediaTypePattern().IsMatch(artifact.ArtifactType ?? string.Empty))
        {
            problems.Add($"its artifactType '{artifact.ArtifactType}' is not a media type (type/subtype, e.g. application/vnd.example.result.v1+json)");
        }

        problems.AddRange(artifact.Files.GroupBy(f => f.Title, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"two files are titled '{g.Key}' (a title is the file name it is pulled to)"));
        if (artifact.Subject is { } subject && subject.RepositoryName != repository.RepositoryName)
        {
            problems.Add($"its subject {subject} is in another repository than {repository.RepositoryName} (referrers are listed per repository; push the subject there first)");
        }

        if (problems.Count > 0)
        {
            throw new InvalidArtifactException(source, string.Join("; ", problems));
        }
    }

    private async Task<Descriptor> SubjectAsync(ImageReference subject, CancellationToken cancellationToken)
    {
        var head = await _client.HeadManifestAsync(subject, cancellationToken).ConfigureAwait(false) ?? throw new ManifestNotFoundException(subject);
        return new Descriptor { MediaType = head.MediaType, Digest = head.Digest, Size = head.Size };
    }

    private async Task<Descriptor> PushFileAsync(ImageReference repository, ArtifactFile file, CancellationToken cancellationToken)
    {
        Digest digest;
        long size;
        Stream stream;
        if (file.Path is { } path)
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
            size = stream.Length;
            digest = Digest.Parse("sha256:" + Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false)));
            stream.Position = 0;
        }
        else
        {
            stream = new MemoryStream(file.Content.ToArray(), writable: false);
            size = file.Content.Length;
            digest = Digest.Compute(file.Content.Span);
        }

        await using (stream.ConfigureAwait(false))
        {
            await _client.PushBlobAsync(repository, digest, size, stream, cancellationToken).ConfigureAwait(false);
        }

        var annotations = new Dictionary<string, string>(file.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [Annotations.Title] = file.Title,
        };
        return new Descriptor { MediaType = file.MediaType, Digest = digest, Size = size, Annotations = annotations };
    }

    private static void CheckBeforePull(ArtifactManifest artifact, List<Descriptor> layers, string root, ArtifactPullOptions options)
    {
        var problems = new List<string>();
        foreach (var layer in layers)
        {
            if (ArtifactTitles.Problem(layer.Title) is { } problem)
            {
                problems.Add($"layer {layer.Digest.ShortHex}: {problem}");
            }
            else if (layer.Size > options.MaxFileBytes)
            {
                problems.Add($"layer '{layer.Title}' is {layer.Size} bytes, more than the cap of {options.MaxFileBytes} (ArtifactPullOptions.MaxFileBytes)");
            }
            else if (!options.Overwrite && File.Exists(Path.Combine(root, layer.Title!)))
            {
                problems.Add($"'{Path.Combine(root, layer.Title!)}' exists (pull into an empty directory, or set ArtifactPullOptions.Overwrite)");
            }
        }

        problems.AddRange(layers.Where(l => l.Title is not null).GroupBy(l => l.Title, StringComparer.Ordinal).Where(g => g.Count() > 1)
            .Select(g => $"two layers are titled '{g.Key}'"));
        if (problems.Count > 0)
        {
            throw new InvalidArtifactException(artifact.Reference.ToString(), "nothing was written: " + string.Join("; ", problems));
        }
    }

    private async Task<PulledFile> PullFileAsync(ImageReference artifact, Descriptor layer, string root, ArtifactPullOptions options, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, layer.Title!);
        var partial = Path.Combine(root, $".polyarch-pull-{Guid.NewGuid():N}.partial");
        try
        {
            var create = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, BufferSize = 0 };
            if (!OperatingSystem.IsWindows())
            {
                create.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            var stream = new FileStream(partial, create);
            await using (stream.ConfigureAwait(false))
            {
                var found = await _client.PullBlobAsync(artifact, layer.Digest, stream, options.MaxFileBytes, cancellationToken).ConfigureAwait(false);
                if (!found)
                {
                    throw new InvalidArtifactException(artifact.ToString(), $"its layer '{layer.Title}' ({layer.Digest}) is missing from the registry");
                }
            }

            File.Move(partial, path, options.Overwrite);
            return new PulledFile(layer.Title!, path, layer.Digest, new FileInfo(path).Length);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private static void CreatePrivateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    // image-spec descriptor.md: type "/" subtype, RFC 6838 restricted names.
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}\z", RegexOptions.CultureInvariant)]
    private static partial Regex MediaTypePattern();

    private static partial class Log
    {
        [LoggerMessage(3020, LogLevel.Debug, "Pushed artifact {ImageRef} ({ArtifactType}, {FileCount} files)")]
        public static partial void Pushed(ILogger logger, string imageRef, string artifactType, int fileCount);
    }
}

using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Contracts;

namespace Polyarch.Registry.References;

/// <summary>
/// A reference to an image in a registry, following the distribution reference grammar:
/// <c>[host[:port]/]path[:tag][@digest]</c>. An ImageReference that exists is valid.
/// </summary>
public sealed record ImageReference
{
    /// <summary>The registry Docker Hub references default to.</summary>
    public const string DockerHub = "docker.io";

    /// <summary>The tag a reference without tag and digest stands for.</summary>
    public const string DefaultTag = "latest";

    internal ImageReference(string registry, string repository, string? tag, Digest? digest)
    {
        Registry = registry;
        Repository = repository;
        Tag = tag;
        Digest = digest;
    }

    /// <summary>The registry host and optional port, e.g. "127.0.0.1:5000" or "docker.io".</summary>
    public string Registry { get; }

    /// <summary>The repository path inside the registry, e.g. "demo/echo".</summary>
    public string Repository { get; }

    /// <summary>The tag, if any ("latest" when the input named neither tag nor digest).</summary>
    public string? Tag { get; }

    /// <summary>The digest the reference is pinned to, if any.</summary>
    public Digest? Digest { get; }

    /// <summary>Registry and repository, e.g. "127.0.0.1:5000/demo/echo".</summary>
    public string RepositoryName => $"{Registry}/{Repository}";

    /// <summary>The tag or, when pinned, the digest: what goes after /manifests/ in a registry URL.</summary>
    public string ManifestReference => Digest?.ToString() ?? Tag ?? DefaultTag;

    /// <summary>Parses a reference; throws <see cref="InvalidReferenceException"/> naming what is wrong.</summary>
    public static ImageReference Parse(string value) =>
        TryParse(value, out var reference, out var error) ? reference : throw new InvalidReferenceException(value, error);

    /// <summary>Parses a reference without throwing; <paramref name="error"/> says what is wrong.</summary>
    public static bool TryParse(
        string? value,
        [NotNullWhen(true)] out ImageReference? reference,
        [NotNullWhen(false)] out string? error) =>
        ReferenceParser.TryParse(value, out reference, out error);

    /// <summary>The same repository with another tag (and no digest).</summary>
    [Pure]
    public ImageReference WithTag(string tag)
    {
        if (!ReferenceParser.IsValidTag(tag, out var error))
        {
            throw new InvalidReferenceException(tag, error);
        }

        return new ImageReference(Registry, Repository, tag, null);
    }

    /// <summary>The same repository and tag, pinned to a digest.</summary>
    [Pure]
    public ImageReference WithDigest(Digest digest)
    {
        ArgumentNullException.ThrowIfNull(digest);
        return new ImageReference(Registry, Repository, Tag, digest);
    }

    /// <summary>Another repository of the same registry.</summary>
    [Pure]
    public ImageReference WithRepository(string repository) =>
        Parse($"{Registry}/{repository}:{Tag ?? DefaultTag}");

    /// <inheritdoc />
    public override string ToString() =>
        RepositoryName + (Tag is null ? string.Empty : ":" + Tag) + (Digest is null ? string.Empty : "@" + Digest);
}

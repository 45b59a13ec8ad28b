namespace Polyarch.Registry.Artifacts;

/// <summary>
/// One file of an artifact to push: one layer whose <c>org.opencontainers.image.title</c> is <see cref="Title"/>. Either a
/// file on disk (streamed, never read into memory) or bytes in memory. Not compared by value.
/// </summary>
public sealed record ArtifactFile
{
    private ArtifactFile(string title, string? path, ReadOnlyMemory<byte> content)
    {
        ArtifactTitles.Validate(title, path ?? title);
        Title = title;
        Path = path;
        Content = content;
    }

    /// <summary>The file name the layer is pulled back to: no directory, no <c>..</c>.</summary>
    public string Title { get; }

    /// <summary>The file on disk the layer is read from, or null when <see cref="Content"/> holds it.</summary>
    public string? Path { get; }

    /// <summary>The bytes, when the file is in memory.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The layer's media type.</summary>
    /// <value><c>application/octet-stream</c> by default.</value>
    public string MediaType { get; init; } = "application/octet-stream";

    /// <summary>More annotations of the layer (the title is added).</summary>
    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    /// <summary>A file on disk, titled with its file name unless <paramref name="title"/> says otherwise.</summary>
    public static ArtifactFile FromFile(string path, string? title = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new ArtifactFile(title ?? System.IO.Path.GetFileName(path), System.IO.Path.GetFullPath(path), ReadOnlyMemory<byte>.Empty);
    }

    /// <summary>Bytes in memory (e.g. a file an action returned), titled <paramref name="title"/>.</summary>
    public static ArtifactFile FromBytes(string title, ReadOnlyMemory<byte> content)
    {
        ArgumentNullException.ThrowIfNull(title);
        return new ArtifactFile(title, null, content);
    }
}

using System.Text.Json;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Manifests;

/// <summary>
/// A manifest or index exactly as the registry served it: the bytes (which the digest covers), the
/// media type, and the parsed model. Never re-serialise what you read; copy <see cref="Content"/>.
/// </summary>
public sealed class ManifestDocument
{
    private ManifestDocument(Digest digest, string mediaType, ReadOnlyMemory<byte> content, ImageIndex? index, ImageManifest? manifest)
    {
        Digest = digest;
        MediaType = mediaType;
        Content = content;
        Index = index;
        Manifest = manifest;
    }

    /// <summary>The sha256 (or declared) digest of <see cref="Content"/>.</summary>
    public Digest Digest { get; }

    /// <summary>The media type from the body, else from the Content-Type header.</summary>
    public string MediaType { get; }

    /// <summary>The exact bytes.</summary>
    public ReadOnlyMemory<byte> Content { get; }

    /// <summary>The index, when this is an index or manifest list.</summary>
    public ImageIndex? Index { get; }

    /// <summary>The image manifest, when this is one.</summary>
    public ImageManifest? Manifest { get; }

    /// <summary>True for an index or manifest list.</summary>
    public bool IsIndex => Index is not null;

    /// <summary>A descriptor of this document (without platform).</summary>
    public Descriptor ToDescriptor() => new() { MediaType = MediaType, Digest = Digest, Size = Content.Length };

    /// <summary>Parses manifest bytes; <paramref name="source"/> names them in errors.</summary>
    public static ManifestDocument Parse(ReadOnlyMemory<byte> content, string? contentType, string source, Digest? digest = null)
    {
        digest ??= Digest.Compute(content.Span);
        try
        {
            var shape = JsonSerializer.Deserialize(content.Span, ManifestJsonContext.Default.ManifestShape)
                ?? throw new InvalidManifestException(source, "the body is JSON null");
            var mediaType = shape.MediaType ?? NormalizeContentType(contentType)
                ?? (shape.Manifests is not null ? MediaTypes.OciIndex : MediaTypes.OciManifest);
            if (MediaTypes.IsIndex(mediaType) || (shape.Manifests is not null && shape.Config is null))
            {
                var index = JsonSerializer.Deserialize(content.Span, ManifestJsonContext.Default.ImageIndex)!;
                return new ManifestDocument(digest, mediaType, content, index, null);
            }

            if (shape.Config is null)
            {
                throw new InvalidManifestException(source, $"it has neither 'manifests' nor 'config' (media type {mediaType})");
            }

            var manifest = JsonSerializer.Deserialize(content.Span, ManifestJsonContext.Default.ImageManifest)!;
            return new ManifestDocument(digest, mediaType, content, null, manifest);
        }
        catch (JsonException exception)
        {
            throw new InvalidManifestException(source, exception.Message, exception);
        }
    }

    private static string? NormalizeContentType(string? contentType)
    {
        if (string.IsNullOrWhiteSpace(contentType))
        {
            return null;
        }

        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        var bare = (semicolon < 0 ? contentType : contentType[..semicolon]).Trim();
        // Registries answer application/json or octet-stream for content they do not know: no information.
        return bare is "application/json" or "application/octet-stream" or "text/plain" ? null : bare;
    }
}

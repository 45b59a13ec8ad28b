using Polyarch.Registry.References;

namespace Polyarch.Registry.Artifacts;

/// <summary>One layer of an artifact written to disk, verified against its digest.</summary>
/// <param name="Title">The layer's title (the file name).</param>
/// <param name="Path">The full path written.</param>
/// <param name="Digest">The layer's digest, which the bytes matched.</param>
/// <param name="Size">The bytes written.</param>
public sealed record PulledFile(string Title, string Path, Digest Digest, long Size);

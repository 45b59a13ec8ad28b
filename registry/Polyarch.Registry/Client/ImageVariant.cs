using Polyarch.Registry.Platforms;
using Polyarch.Registry.References;

namespace Polyarch.Registry.Client;

/// <summary>One runnable variant of an image: its (normalised) platform and its manifest's digest.</summary>
public sealed record ImageVariant(Platform Platform, Digest Digest, long Size, string MediaType);

namespace Polyarch.Invoker.Images;

/// <summary>One runnable variant of an image: its platform, its manifest digest and its config labels.</summary>
internal sealed record VariantInfo(string Platform, string Digest, IReadOnlyDictionary<string, string> Labels);

namespace Polyarch.Runtimes.Tests;

/// <summary>A runtime image in the registry: its pinned tag, its repository, the index JSON and each platform's child digest.</summary>
internal sealed record RuntimeIndex(string Reference, string Repository, string RawIndex, IReadOnlyDictionary<string, string> Children)
{
    /// <summary><c>repository@child-digest</c> of <paramref name="platform"/>, which the test pulls and runs.</summary>
    public string ChildReference(string platform) =>
        Children.TryGetValue(platform, out var digest) ? $"{Repository}@{digest}"
        : throw new InvalidOperationException($"{Reference} has no variant for {platform} (it has {string.Join(", ", Children.Keys)}); rebuild it with scripts/runtimes.sh rebuild.");
}

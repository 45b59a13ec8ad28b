namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// The recorded 53-envelope burst of one `docker buildx bake --push` (distribution 2.8.2, demo/echo:v2), rewritten to
/// point at the test registry and at an index that exists there, so rules can resolve it.
/// </summary>
internal static class NotificationBurst
{
    public const string RecordedRegistry = "127.0.0.1:5000";
    public const string RecordedIndexDigest = "sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe";

    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "registry-notifications", "distribution-2.8.2-buildx-multiarch-push");

    public const string RecordedTag = "v2";

    /// <summary>The envelopes in the order the registry posted them; <paramref name="tag"/> replaces the recorded tag.</summary>
    public static IReadOnlyList<string> Envelopes(string registry, string indexDigest, string tag = RecordedTag) =>
        [.. System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .Select(json => json
                .Replace(RecordedRegistry, registry, StringComparison.Ordinal)
                .Replace(RecordedIndexDigest, indexDigest, StringComparison.Ordinal)
                .Replace($"\"tag\": \"{RecordedTag}\"", $"\"tag\": \"{tag}\"", StringComparison.Ordinal))];
}

using System.Text.Json;

namespace Polyarch.Builder.Buildx;

/// <summary>
/// An image BuildKit reports pushed while the bake is still running: the rawjson status
/// <c>pushing manifest for 127.0.0.1:5000/demo/echo:polyarch-build-…@sha256:…</c> once it has <c>completed</c>. By then the
/// index, its manifests and their configs are in the registry under that digest; what follows (the cache export and, with
/// buildx's docker driver, the engine pushing the same image again) does not change them.
/// </summary>
/// <param name="Reference">The tagged reference as bake was given it (<c>registry/repository:tag</c>).</param>
/// <param name="Digest">The pushed index's (or manifest's) digest.</param>
public sealed record PushedIndex(string Reference, string Digest)
{
    private const string Prefix = "pushing manifest for ";

    /// <summary>The completed "pushing manifest for …" statuses in one rawjson object.</summary>
    public static IEnumerable<PushedIndex> In(JsonElement status)
    {
        if (!status.TryGetProperty("statuses", out var statuses) || statuses.ValueKind != JsonValueKind.Array)
        {
            yield break;
        }

        foreach (var entry in statuses.EnumerateArray())
        {
            if (entry.ValueKind == JsonValueKind.Object
                && entry.TryGetProperty("completed", out var completed) && completed.ValueKind == JsonValueKind.String
                && entry.TryGetProperty("id", out var id) && id.GetString() is { } text
                && Parse(text) is { } pushed)
            {
                yield return pushed;
            }
        }
    }

    /// <summary>"pushing manifest for REF@sha256:HEX" → (REF, sha256:HEX); null for any other status.</summary>
    internal static PushedIndex? Parse(string status)
    {
        if (!status.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var at = status.LastIndexOf('@');
        var digest = at < 0 ? "" : status[(at + 1)..];
        return at > Prefix.Length && Registry.References.Digest.TryParse(digest, out _, out _)
            ? new PushedIndex(status[Prefix.Length..at], digest)
            : null;
    }
}

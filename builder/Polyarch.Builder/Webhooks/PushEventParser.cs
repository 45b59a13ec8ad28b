using System.Text.Json;

namespace Polyarch.Builder.Webhooks;

/// <summary>Reads GitHub, Gitea/Forgejo, GitLab and post-receive push payloads into a <see cref="PushEvent"/>.</summary>
public static class PushEventParser
{
    private static readonly string[] UrlFields = ["clone_url", "git_http_url", "url", "html_url", "web_url", "homepage", "ssh_url", "git_ssh_url"];

    /// <summary>Parses a push payload; null (with a reason) when it is not valid JSON or lacks ref/after.</summary>
    public static PushEvent? Parse(ReadOnlySpan<byte> body, out string? error)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException exception)
        {
            error = $"The body is not valid JSON ({exception.Message}).";
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || String(root, "ref") is not { } gitRef || String(root, "after") is not { } after)
            {
                error = "The push payload lacks 'ref' or 'after'.";
                return null;
            }

            var urls = new List<string>();
            string? defaultBranch = null;
            foreach (var holder in new[] { "project", "repository" })
            {
                if (root.TryGetProperty(holder, out var repository) && repository.ValueKind == JsonValueKind.Object)
                {
                    urls.AddRange(UrlFields.Select(f => String(repository, f)).OfType<string>());
                    defaultBranch ??= String(repository, "default_branch");
                }
            }

            error = null;
            return new PushEvent(gitRef, after, [.. urls.Distinct(StringComparer.Ordinal)], defaultBranch);
        }
    }

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

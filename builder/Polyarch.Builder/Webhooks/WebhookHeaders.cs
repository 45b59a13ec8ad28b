namespace Polyarch.Builder.Webhooks;

/// <summary>The provider-specific headers of one webhook delivery.</summary>
public sealed record WebhookHeaders(GitProvider Provider, string Event, string? DeliveryId, string? Signature)
{
    /// <summary>Reads the headers; null when no known provider sent them.</summary>
    public static WebhookHeaders? Read(IHeaderDictionary headers)
    {
        string? Get(string name) => headers.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value.ToString()) ? value.ToString() : null;

        if (Get("X-GitHub-Event") is { } github)
        {
            return new WebhookHeaders(GitProvider.GitHub, github, Get("X-GitHub-Delivery"), Get("X-Hub-Signature-256"));
        }

        if ((Get("X-Forgejo-Event") ?? Get("X-Gitea-Event")) is { } gitea)
        {
            return new WebhookHeaders(GitProvider.Gitea, gitea, Get("X-Forgejo-Delivery") ?? Get("X-Gitea-Delivery"), Get("X-Forgejo-Signature") ?? Get("X-Gitea-Signature"));
        }

        if (Get("X-Gitlab-Event") is { } gitlab)
        {
            return new WebhookHeaders(GitProvider.GitLab, gitlab, Get("X-Gitlab-Event-UUID") ?? Get("Idempotency-Key"), Get("X-Gitlab-Token"));
        }

        if (Get("X-Polyarch-Event") is { } polyarch)
        {
            return new WebhookHeaders(GitProvider.PostReceive, polyarch, Get("X-Polyarch-Delivery"), Get("X-Polyarch-Signature"));
        }

        return null;
    }

    /// <summary>Whether the event is a branch push (GitHub/Gitea "push", GitLab "Push Hook").</summary>
    public bool IsPush => Event is "push" or "Push Hook";

    /// <summary>Whether the event is GitHub's ping.</summary>
    public bool IsPing => Event == "ping";
}

namespace Polyarch.Builder.Webhooks;

/// <summary>Who sent a webhook.</summary>
public enum GitProvider
{
    /// <summary>GitHub: X-Hub-Signature-256 = sha256=HEX.</summary>
    GitHub,

    /// <summary>Gitea or Forgejo: X-Gitea-Signature / X-Forgejo-Signature = HEX.</summary>
    Gitea,

    /// <summary>GitLab: X-Gitlab-Token = the plain secret.</summary>
    GitLab,

    /// <summary>scripts/post-receive: X-Polyarch-Signature = sha256=HEX.</summary>
    PostReceive,
}

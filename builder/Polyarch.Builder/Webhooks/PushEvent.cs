namespace Polyarch.Builder.Webhooks;

/// <summary>A branch push as any provider describes it.</summary>
/// <param name="Ref">The full ref, e.g. refs/heads/main.</param>
/// <param name="After">The commit the ref points to now (all zeros when deleted).</param>
/// <param name="RepositoryUrls">Every URL the payload gives for the repository (clone, http, ssh, web).</param>
/// <param name="DefaultBranch">The repository's default branch, if the payload says.</param>
public sealed record PushEvent(string Ref, string After, IReadOnlyList<string> RepositoryUrls, string? DefaultBranch)
{
    /// <summary>The branch name, or null for tags and other refs.</summary>
    public string? Branch => Ref.StartsWith("refs/heads/", StringComparison.Ordinal) ? Ref["refs/heads/".Length..] : null;

    /// <summary>Whether the push deleted the ref.</summary>
    public bool IsDeletion => After.Length > 0 && After.All(c => c == '0');
}

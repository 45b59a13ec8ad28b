namespace Polyarch.Builder.Git;

/// <summary>A source URL resolved to one exact commit.</summary>
/// <param name="Url">The normalised URL or absolute local path.</param>
/// <param name="Commit">The full 40-character commit id.</param>
/// <param name="Branch">The branch the commit was asked for by, if any.</param>
/// <param name="DefaultBranch">The remote's default branch (its HEAD), if it has one.</param>
public sealed record ResolvedSource(string Url, string Commit, string? Branch, string? DefaultBranch)
{
    /// <summary>Whether the commit was built for the default branch (it then also gets <c>:latest</c>).</summary>
    public bool IsDefaultBranch => Branch is not null && Branch == DefaultBranch;
}

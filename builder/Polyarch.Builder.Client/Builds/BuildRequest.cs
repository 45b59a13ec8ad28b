namespace Polyarch.Builder.Builds;

/// <summary>A request to build one commit of one repository for a set of platforms.</summary>
/// <param name="SourceUrl">Normalised git URL or absolute local path.</param>
/// <param name="Registry">Registry host:port.</param>
/// <param name="Repository">Registry repository, e.g. demo/echo.</param>
/// <param name="Commit">Full commit id.</param>
/// <param name="Branch">Branch the commit was pushed to, if any.</param>
/// <param name="IsDefaultBranch">Whether that branch is the default one (adds :latest).</param>
/// <param name="Platforms">Normalised platforms, e.g. linux/amd64.</param>
/// <param name="Trigger">cli, webhook:github, webhook:gitea, webhook:gitlab or hook:post-receive.</param>
public sealed record BuildRequest(
    string SourceUrl,
    string Registry,
    string Repository,
    string Commit,
    string? Branch,
    bool IsDefaultBranch,
    IReadOnlyList<string> Platforms,
    string Trigger)
{
    /// <summary>The platforms as stored and compared: sorted, comma-separated.</summary>
    public string PlatformsKey => string.Join(',', Platforms.Order(StringComparer.Ordinal));

    /// <summary>
    /// The W3C traceparent of whoever asked (the webhook's span), stored with the build so that the queue wait and the
    /// build join that trace even when another process or replica runs it. Null when tracing is off.
    /// </summary>
    public string? TraceParent { get; init; }

    /// <summary>The tags this request should leave on the built index.</summary>
    public IReadOnlyList<string> Tags => ImageTags.For(Commit, Branch, IsDefaultBranch);
}

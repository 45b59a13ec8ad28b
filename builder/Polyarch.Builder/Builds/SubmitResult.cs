namespace Polyarch.Builder.Builds;

/// <summary>The answer to a build request: the record, whether this request created it, and whether it queued a failed build again.</summary>
public sealed record SubmitResult(BuildRecord Build, bool Created, bool Requeued = false)
{
    /// <summary>Whether the request changed nothing (an earlier request covers it).</summary>
    public bool Duplicate => !Created && !Requeued;
}

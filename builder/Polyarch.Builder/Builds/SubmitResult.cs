namespace Polyarch.Builder.Builds;

/// <summary>The answer to a build request: the record, and whether this request created it.</summary>
public sealed record SubmitResult(BuildRecord Build, bool Created);

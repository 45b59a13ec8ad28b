namespace Polyarch.Builder.Builds;

/// <summary>Where a build is in its life.</summary>
public enum BuildStatus
{
    /// <summary>Stored, waiting for a worker.</summary>
    Queued,

    /// <summary>A worker is building it.</summary>
    Running,

    /// <summary>Built, verified and tagged.</summary>
    Succeeded,

    /// <summary>Failed; the record says where.</summary>
    Failed,

    /// <summary>A newer push to the same branch replaced it before it started.</summary>
    Superseded,

    /// <summary>Cancelled by a user (<c>POST /v1/builds/{id}/cancel</c>, <c>polyarch-builder builds cancel</c>); no tag was moved.</summary>
    Cancelled,
}

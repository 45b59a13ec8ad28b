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
}

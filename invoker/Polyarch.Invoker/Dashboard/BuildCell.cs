namespace Polyarch.Invoker.Dashboard;

/// <summary>One cell of the commit × architecture matrix.</summary>
internal sealed record BuildCell(string Platform, string State, long? DurationMs, string? ChildDigest, long? Size, string? Error)
{
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
    public const string Running = "running";
    public const string Queued = "queued";
    public const string Superseded = "superseded";
    public const string NotPushed = "not pushed";
}

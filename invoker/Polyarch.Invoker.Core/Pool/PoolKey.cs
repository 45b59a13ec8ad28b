namespace Polyarch.Invoker.Pool;

/// <summary>Containers are interchangeable only within one key: owner (action or image), platform, child digest, limits.</summary>
internal sealed record PoolKey(string Owner, string Platform, string ChildDigest, string Limits)
{
    public override string ToString() => $"{Owner} {Platform} {ChildDigest} {Limits}";
}

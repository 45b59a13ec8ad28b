namespace Polyarch.Invoker.Placement;

/// <summary>A platform a backend can run, natively or under QEMU emulation.</summary>
public sealed record BackendPlatform(string Platform, bool Emulated)
{
    public override string ToString() => Emulated ? $"{Platform} (emulated)" : Platform;
}

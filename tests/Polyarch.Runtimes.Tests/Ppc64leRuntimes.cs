namespace Polyarch.Runtimes.Tests;

/// <summary>linux/ppc64le: under QEMU.</summary>
public sealed class Ppc64leRuntimes : PlatformRuntimes
{
    /// <inheritdoc />
    public override string Platform => "linux/ppc64le";

    /// <inheritdoc />
    public override string Machine => "ppc64le";
}

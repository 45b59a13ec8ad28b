namespace Polyarch.Runtimes.Tests;

/// <summary>linux/arm64: under QEMU on an x86-64 machine.</summary>
public sealed class Arm64Runtimes : PlatformRuntimes
{
    /// <inheritdoc />
    public override string Platform => "linux/arm64";

    /// <inheritdoc />
    public override string Machine => "aarch64";
}

namespace Polyarch.Runtimes.Tests;

/// <summary>linux/amd64: native on this machine.</summary>
public sealed class Amd64Runtimes : PlatformRuntimes
{
    /// <inheritdoc />
    public override string Platform => "linux/amd64";

    /// <inheritdoc />
    public override string Machine => "x86_64";
}

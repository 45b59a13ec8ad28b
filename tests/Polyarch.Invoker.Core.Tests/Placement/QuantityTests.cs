using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Core.Tests.Placement;

/// <summary>Kubernetes quantity semantics (k8s.io/apimachinery resource.Quantity) for every io.polyarch.requires.* label.</summary>
public sealed class QuantityTests
{
    [Theory]
    [InlineData("512Mi", 512L << 20)]
    [InlineData("2Gi", 2L << 30)]
    [InlineData("1G", 1_000_000_000L)]
    [InlineData("256M", 256_000_000L)]
    [InlineData("1500", 1500L)]
    [InlineData("0.5Gi", 1L << 29)]
    [InlineData(" 1Ki ", 1024L)]
    [InlineData("1e9", 1_000_000_000L)]
    [InlineData("1E3", 1000L)]
    [InlineData("2k", 2000L)]
    [InlineData("1Pi", 1L << 50)]
    public void TryParseBytes_ValidSizes(string text, long expected)
    {
        Quantity.TryParseBytes(text, out var bytes).ShouldBeTrue();
        bytes.ShouldBe(expected);
    }

    [Theory]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("lots")]
    [InlineData("-1Gi")]
    [InlineData("0")]
    [InlineData("1Xi")]
    [InlineData("99999999999999999999Ti")]
    [InlineData("1K")]
    [InlineData("1e")]
    [InlineData("1e99")]
    [InlineData("1.2.3Mi")]
    [InlineData("+1Gi")]
    [InlineData("12345678901234567890123456789012345")]
    public void TryParseBytes_HostileInput_IsRejected(string? text)
    {
        Quantity.TryParseBytes(text, out _).ShouldBeFalse();
    }

    // Kubernetes quantities for CPUs: cores or millicores.
    [Theory]
    [InlineData("500m", 0.5)]
    [InlineData("0.5", 0.5)]
    [InlineData("2", 2.0)]
    [InlineData("1500m", 1.5)]
    [InlineData("250000u", 0.25)]
    public void TryParse_Cpus(string text, double expected)
    {
        Quantity.TryParse(text, out var value).ShouldBeTrue();
        ((double)value).ShouldBe(expected);
    }
}

using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Tests.Placement;

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
    [InlineData("1e9")]
    [InlineData("12345678901234567890123456789012345")]
    public void TryParseBytes_HostileInput_IsRejected(string? text)
    {
        Quantity.TryParseBytes(text, out _).ShouldBeFalse();
    }
}

using Microsoft.Extensions.Time.Testing;
using Polyarch.Builder.Cli;

namespace Polyarch.Builder.Tests.Cli;

/// <summary>POLYARCH_TRACE_TIMING=1 writes one line per phase, in milliseconds since the process started; otherwise nothing.</summary>
public sealed class PhaseTimerTests
{
    [Fact]
    public void Mark_WhenOn_WritesTheTimeSinceTheProcessStartedAndThePhase()
    {
        var time = new FakeTimeProvider();
        using var stderr = new StringWriter();
        var timer = new PhaseTimer(stderr, time, beforeStart: TimeSpan.FromMilliseconds(80));

        timer.Mark("runtime started, Main entered");
        time.Advance(TimeSpan.FromMilliseconds(250.5));
        timer.Mark("submitted");

        stderr.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries)
            .ShouldBe(["timing:     80.0 ms  runtime started, Main entered", "timing:    330.5 ms  submitted"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("yes please")]
    public void FromEnvironment_NotOn_WritesNothing(string? value)
    {
        using var stderr = new StringWriter();

        var timer = PhaseTimer.FromEnvironment(value, stderr, new FakeTimeProvider());
        timer.Mark("anything");

        timer.Enabled.ShouldBeFalse();
        stderr.ToString().ShouldBeEmpty();
    }

    [Fact]
    public void FromEnvironment_On_CountsFromTheProcessStart()
    {
        using var stderr = new StringWriter();

        var timer = PhaseTimer.FromEnvironment("1", stderr, TimeProvider.System);
        timer.Mark("now");

        timer.Enabled.ShouldBeTrue();
        var line = stderr.ToString().Trim();
        line.ShouldEndWith(" ms  now");
        // This test process started before the test ran: the first mark is after its start, never at zero.
        double.Parse(line["timing:".Length..line.IndexOf(" ms", StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(0);
    }
}

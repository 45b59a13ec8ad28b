using Polyarch.Invoker.Kubernetes.Lifecycle;

namespace Polyarch.Invoker.Kubernetes.Tests.Lifecycle;

/// <summary>Slicing a warm pod's timestamps=true log after an earlier read's last timestamp.</summary>
public sealed class TimestampedLogsTests
{
    [Theory]
    [InlineData("2026-11-26T19:30:01.123456789Z", "2026-11-26T19:30:01.1234567+00:00")]
    [InlineData("2026-11-26T19:30:01.1234Z", "2026-11-26T19:30:01.1234000+00:00")]
    [InlineData("2026-11-26T19:30:01Z", "2026-11-26T19:30:01.0000000+00:00")]
    [InlineData("2026-11-26T20:30:01.5+01:00", "2026-11-26T19:30:01.5000000+00:00")]
    public void Kubelet_timestamps_parse_to_100ns(string text, string expected)
    {
        TimestampedLogs.ParseTimestamp(text).ShouldBe(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("starting")]
    [InlineData("2026-11-26")]
    [InlineData("2026-13-45T99:99:99Z")]
    [InlineData("2026-11-26T19:30:01.123456789012345678901234567890Z")]
    public void Hostile_timestamps_are_not_timestamps(string text)
    {
        TimestampedLogs.ParseTimestamp(text).ShouldBeNull();
    }

    [Fact]
    public void Lines_at_or_before_the_cut_are_dropped_and_the_newest_timestamp_is_the_next_cut()
    {
        const string log = """
            2026-11-26T19:30:01.000000001Z earlier activation
            2026-11-26T19:30:01.1Z mine 1
            2026-11-26T19:30:01.2Z XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX
            2026-11-26T19:30:02.3Z mine 2 with  spaces
            """;
        var cut = TimestampedLogs.ParseTimestamp("2026-11-26T19:30:01.0000001Z");

        var logs = TimestampedLogs.Parse(log, cut, truncated: false);

        logs.Lines.ShouldBe(["mine 1", "mine 2 with  spaces"]);
        logs.Last.ShouldBe(TimestampedLogs.ParseTimestamp("2026-11-26T19:30:02.3Z"));
        TimestampedLogs.Parse(log, logs.Last, truncated: false).Lines.ShouldBeEmpty("nothing new since");
    }

    [Fact]
    public void A_bounded_read_cut_inside_a_timestamp_drops_the_stump_but_keeps_untimestamped_lines_otherwise()
    {
        TimestampedLogs.Parse("2026-11-26T19:30:01.1Z a\n2026-11-2", null, truncated: true).Lines.ShouldBe(["a"]);
        TimestampedLogs.Parse("plain line\nanother", null, truncated: false).Lines.ShouldBe(["plain line", "another"]);
    }

    [Fact]
    public void A_runtime_that_prints_the_sentinel_on_both_streams_ends_the_activation_at_the_second()
    {
        const string log = """
            2026-11-26T19:30:01.1Z mine
            2026-11-26T19:30:01.2Z XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX
            2026-11-26T19:30:01.3Z mine late on stderr
            2026-11-26T19:30:01.4Z XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX
            2026-11-26T19:30:02.5Z next activation
            2026-11-26T19:30:02.6Z XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX
            2026-11-26T19:30:02.7Z XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX
            """;

        var first = TimestampedLogs.Parse(log, null, truncated: false);
        var second = TimestampedLogs.Parse(log, first.Last, truncated: false);

        first.Lines.ShouldBe(["mine", "mine late on stderr"]);
        first.Last.ShouldBe(TimestampedLogs.ParseTimestamp("2026-11-26T19:30:01.4Z"));
        second.Lines.ShouldBe(["next activation"]);
        second.Last.ShouldBe(TimestampedLogs.ParseTimestamp("2026-11-26T19:30:02.7Z"));
    }
}

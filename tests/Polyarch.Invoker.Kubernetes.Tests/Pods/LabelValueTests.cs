namespace Polyarch.Invoker.Kubernetes.Tests.Pods;

/// <summary>Free text becomes valid label values and pod names.</summary>
public sealed class LabelValueTests
{
    [Theory]
    [InlineData("echo", "echo")]
    [InlineData("127.0.0.1:5000/demo/echo:latest", "127.0.0.1-5000-demo-echo-latest")]
    [InlineData("-leading-and-trailing-", "leading-and-trailing")]
    [InlineData("ünïcödé name", "n-c-d--name")]
    [InlineData("", "")]
    [InlineData("../../etc/passwd", "etc-passwd")]
    public void Sanitize_makes_a_valid_label_value(string text, string expected)
    {
        LabelValue.Sanitize(text).ShouldBe(expected);
    }

    [Fact]
    public void Sanitize_caps_at_63_characters()
    {
        LabelValue.Sanitize(new string('a', 200)).Length.ShouldBe(63);
    }

    [Theory]
    [InlineData("Echo_Action!!", 63, "echo-action")]
    [InlineData("a--b", 63, "a-b")]
    [InlineData("abcdef", 3, "abc")]
    [InlineData("$$$", 10, "")]
    public void DnsLabel_makes_a_lower_case_rfc1123_label(string text, int max, string expected)
    {
        LabelValue.DnsLabel(text, max).ShouldBe(expected);
    }
}

using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Core.Tests.Invocation;

public sealed class BoundedLogTests
{
    [Fact]
    public void Append_SplitsLinesAcrossChunks()
    {
        var log = new BoundedLog(1024);

        log.Append("stdout", "hel");
        log.Append("stderr", "wor");
        log.Append("stdout", "lo\r\n");
        log.Append("stderr", "ld\n");

        log.Drain().Lines.ShouldBe(["stdout: hello", "stderr: world"]);
    }

    [Fact]
    public void Append_BeyondTheBudget_DropsAndNotes()
    {
        var log = new BoundedLog(64);

        for (var i = 0; i < 100; i++)
        {
            log.Append("stdout", $"line {i}\n");
        }

        var (lines, truncated) = log.Drain();
        truncated.ShouldBeTrue();
        lines.Count.ShouldBeLessThan(10);
        lines[0].ShouldBe("stdout: line 0");
    }

    [Fact]
    public void DrainActivation_CutsEachStreamAtItsSentinel_KeepsWhatFollowsForTheNextActivation()
    {
        var log = new BoundedLog(1024);

        log.Append("stdout", "mine 1\nXXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\nnext 1\n");
        log.Append("stderr", "mine 2\n");
        log.HasActivationEnd.ShouldBeFalse("stderr has not ended yet");
        log.Append("stderr", "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
        log.HasActivationEnd.ShouldBeTrue();
        var first = log.DrainActivation().Lines;
        log.Append("stderr", "next 2\nXXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
        log.Append("stdout", "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
        var second = log.DrainActivation().Lines;

        first.ShouldBe(["stdout: mine 1", "stderr: mine 2"]);
        second.ShouldBe(["stdout: next 1", "stderr: next 2"]);
        log.SentinelsSeen.ShouldBe(4);
        log.Drain().Lines.ShouldBeEmpty();
    }

    [Fact]
    public void Drain_NeverShowsTheSentinel_AndAFullLogKeepsItsCuts()
    {
        var log = new BoundedLog(40);

        log.Append("stdout", "a line that fills the budget....\nXXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
        log.Append("stderr", "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");

        log.HasActivationEnd.ShouldBeTrue();
        log.Drain().Lines.ShouldBe(["stdout: a line that fills the budget...."]);
    }

    [Fact]
    public async Task WaitForActivationEnd_ReturnsWhenBothSentinelsCome_OrFalseAfterTheWait()
    {
        var log = new BoundedLog(1024);
        var waiting = log.WaitForActivationEndAsync(TimeSpan.FromSeconds(30), TimeProvider.System, CancellationToken.None);
        log.Append("stdout", "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");
        waiting.IsCompleted.ShouldBeFalse();
        log.Append("stderr", "XXX_THE_END_OF_A_WHISK_ACTIVATION_XXX\n");

        (await waiting.WaitAsync(TimeSpan.FromSeconds(5))).ShouldBeTrue();
        log.DrainActivation();
        (await new BoundedLog(1024).WaitForActivationEndAsync(TimeSpan.FromMilliseconds(50), TimeProvider.System, CancellationToken.None)).ShouldBeFalse();
    }
}

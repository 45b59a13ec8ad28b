using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Tests.Invocation;

public sealed class BoundedLogTests
{
    [Fact]
    public void Append_SplitsLinesAcrossChunks()
    {
        var log = new BoundedLog(1024);

        log.Append("stdout", "hel");
        log.Append("stdout", "lo\r\nwor");
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
}

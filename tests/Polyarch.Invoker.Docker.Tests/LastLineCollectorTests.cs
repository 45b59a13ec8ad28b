using System.Text;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.DockerEngine.Tests;

public sealed class LastLineCollectorTests
{
    [Fact]
    public void Complete_LastNonEmptyLineIsTheResult_EarlierLinesAreLogs()
    {
        var logs = new BoundedLog(1024);
        var collector = new LastLineCollector(1024, logs);

        collector.Write("log one\nlog "u8);
        collector.Write("two\n{\"ok\":true}\n\n"u8);
        var (line, exceeded) = collector.Complete();

        Encoding.UTF8.GetString(line).ShouldBe("{\"ok\":true}");
        exceeded.ShouldBeFalse();
        logs.Drain().Lines.ShouldBe(["stdout: log one", "stdout: log two"]);
    }

    [Fact]
    public void Complete_ResultOverTheLimit_IsMarkedExceeded()
    {
        var collector = new LastLineCollector(16, new BoundedLog(1024));

        collector.Write(Encoding.UTF8.GetBytes("{\"big\":\"" + new string('a', 100) + "\"}"));

        collector.Complete().Exceeded.ShouldBeTrue();
    }
}

using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>
/// scripts/lib/trx.sh's <c>trx_summary</c>, what .ci/run prints after the tests. CI shows only the end of its log, so
/// that end must name every test that did not pass and why, and its last line must count them.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class TrxSummaryTests : IDisposable
{
    // The shape `dotnet test --logger trx` writes (trimmed): a passed, a failed (a message of several lines, with
    // XML entities) and a skipped result; Counters count the failure but, as the real ones do, not the skip.
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun id="1" name="vm" xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Times creation="2026-12-01T22:43:20.0000000+00:00" queuing="2026-12-01T22:43:20.0000000+00:00" start="2026-12-01T22:43:20.0000000+00:00" finish="2026-12-01T22:43:32.5000000+00:00" />
          <Results>
            <UnitTestResult executionId="a" testId="1" testName="Polyarch.Demo.Tests.ATests.It_passes" computerName="vm" duration="00:00:00.01" outcome="Passed" testListId="l" />
            <UnitTestResult executionId="b" testId="2" testName="Polyarch.Demo.Tests.ATests.It_fails(name: &quot;x&quot;)" computerName="vm" duration="00:00:01" outcome="Failed" testListId="l">
              <Output>
                <ErrorInfo>
                  <Message>Shouldly.ShouldAssertException: record.Status
            should be
        &quot;success&quot; &amp; &lt;done&gt;
            but was
        &quot;error&quot;</Message>
                  <StackTrace>   at Polyarch.Demo.Tests.ATests.It_fails() in /src/ATests.cs:line 12</StackTrace>
                </ErrorInfo>
              </Output>
            </UnitTestResult>
            <UnitTestResult executionId="c" testId="3" testName="Polyarch.Demo.Tests.ATests.It_is_skipped" computerName="vm" duration="00:00:00" outcome="NotExecuted" testListId="l">
              <Output><ErrorInfo><Message>Opt-in: set POLYARCH_DEMO=1</Message></ErrorInfo></Output>
            </UnitTestResult>
          </Results>
          <TestDefinitions>
            <UnitTest name="It_passes" storage="/src/bin/polyarch.demo.tests.dll" id="1"><TestMethod codeBase="/src/bin/Polyarch.Demo.Tests.dll" className="Polyarch.Demo.Tests.ATests" name="It_passes" /></UnitTest>
          </TestDefinitions>
          <ResultSummary outcome="Failed">
            <Counters total="3" executed="2" passed="1" failed="1" error="0" timeout="0" aborted="0" inconclusive="0" passedButRunAborted="0" notRunnable="0" notExecuted="0" disconnected="0" warning="0" completed="0" inProgress="0" pending="0" />
          </ResultSummary>
        </TestRun>
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-trx-").FullName;

    [Fact]
    public async Task The_end_of_the_log_names_each_failed_test_with_its_message_then_counts_them()
    {
        await File.WriteAllTextAsync(Path.Combine(_directory, "demo.trx"), Trx);

        var lines = await SummaryAsync(status: 1);

        lines.ShouldBe([
            "Polyarch.Demo.Tests                               12.5 s",
            "Failed Polyarch.Demo.Tests.ATests.It_fails(name: \"x\"): Shouldly.ShouldAssertException: record.Status |     should be | \"success\" & <done> |     but was | \"error\"",
            "1 passed, 1 failed, 1 skipped",
        ]);
    }

    [Fact]
    public async Task A_failed_run_without_results_is_one_failure_never_green()
    {
        (await SummaryAsync(status: 1)).ShouldBe(["0 passed, 1 failed"]);
        (await SummaryAsync(status: 0)).ShouldBe(["0 passed, 0 failed"]);
    }

    private async Task<string[]> SummaryAsync(int status)
    {
        var script = $"""
            set -uo pipefail
            . "{RepositoryRoot.Combine("scripts", "lib", "trx.sh")}"
            trx_summary "{_directory}" {status}
            """;
        var result = await Cli.Wrap("bash").WithArguments(["-c", script])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        result.ExitCode.ShouldBe(0, result.StandardError);
        result.StandardError.ShouldBeEmpty();
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

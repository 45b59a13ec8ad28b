using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.Retrain;

/// <summary>
/// scripts/demo-retrain.sh without the host: --help, bad arguments (exit 2 before anything is set up) and its table,
/// rendered from recorded run records (run-*.json here, in the shape of `polyarch-invoker workflows runs get RUN
/// --output json`): one row per tested architecture with accuracy, agreement, duration, model digest and promotion.
/// </summary>
public sealed class DemoRetrainScriptTests
{
    private static readonly string Script = RepositoryRoot.Combine("scripts", "demo-retrain.sh");

    [Fact]
    public async Task Help_prints_the_usage_and_exits_0()
    {
        var result = await RunAsync("--help");

        result.ExitCode.ShouldBe(0, result.StandardError);
        result.StandardOutput.ShouldContain("scripts/demo-retrain.sh [--threshold X] [--timeout SECONDS]");
        result.StandardOutput.ShouldContain("--table RUN.json");
        result.StandardOutput.ShouldContain("--make-batches [DIR]");
        result.StandardOutput.ShouldNotContain("==>", customMessage: "--help sets nothing up");
    }

    [Theory]
    [InlineData(new[] { "--frob" }, "unknown argument '--frob'")]
    [InlineData(new[] { "--make-batches", "--frob" }, "unknown argument '--frob'")]
    [InlineData(new[] { "--threshold" }, "--threshold needs an accuracy between 0 and 1")]
    [InlineData(new[] { "--threshold", "1.5" }, "--threshold needs an accuracy between 0 and 1, e.g. --threshold 0.9 (got '1.5')")]
    [InlineData(new[] { "--threshold", "high" }, "(got 'high')")]
    [InlineData(new[] { "--timeout", "soon" }, "--timeout needs a number of seconds")]
    [InlineData(new[] { "--timeout", "0" }, "--timeout needs a number of seconds")]
    [InlineData(new[] { "--table" }, "--table needs a file")]
    [InlineData(new[] { "--table", "/nonexistent/run.json" }, "cannot read the run record '/nonexistent/run.json'")]
    public async Task Bad_arguments_exit_2_naming_the_argument_before_anything_is_set_up(string[] arguments, string message)
    {
        var result = await RunAsync(arguments);

        result.ExitCode.ShouldBe(2, result.StandardOutput + result.StandardError);
        result.StandardError.ShouldContain(message);
        result.StandardOutput.ShouldNotContain("==>");
    }

    [Fact]
    public async Task A_file_that_is_no_run_record_exits_2_saying_what_to_pass()
    {
        var file = Path.Combine(Path.GetTempPath(), $"not-a-run-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{"id": "x"}""");
        try
        {
            var result = await RunAsync("--table", file);

            result.ExitCode.ShouldBe(2);
            result.StandardError.ShouldContain("is not a workflow run record");
            result.StandardError.ShouldContain("workflows runs get RUN --output json");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task The_table_of_a_promoted_run_has_one_row_per_architecture_sorted_with_the_model_digest()
    {
        var result = await RunAsync("--table", Fixture("run-promoted.json"));

        result.ExitCode.ShouldBe(0, result.StandardError);
        Header(result.StandardOutput).ShouldBe(["ARCHITECTURE", "ACCURACY", "AGREE", "DURATION", "MODEL", "DIGEST", "PROMOTED"]);
        Rows(result.StandardOutput).ShouldBe(
        [
            ["linux/amd64", "0.9421", "yes", "2.9", "s", "sha256:4f1c2a9e4f1c", "yes"],
            ["linux/arm64", "0.9421", "yes", "17.2", "s", "sha256:4f1c2a9e4f1c", "yes"],
            ["linux/ppc64le", "0.9421", "yes", "24.8", "s", "sha256:4f1c2a9e4f1c", "yes"],
        ]);
        result.StandardOutput.ShouldContain("run r-20261130-154001-7f3a (retrain): succeeded, dataset datasets/digits@sha256:9b0e7d319b0e");
        result.StandardOutput.ShouldContain("train on linux/amd64: 675 samples, 0.612 s fit, model 127.0.0.1:5000/workflows/retrain@sha256:4f1c2a9e");
        result.StandardOutput.ShouldContain("decision: promoted: 3 architectures reach 0.9 and predict the same labels");
    }

    [Fact]
    public async Task A_run_that_was_not_promoted_shows_the_architecture_that_disagrees_and_the_reason()
    {
        var result = await RunAsync("--table", Fixture("run-not-promoted.json"));

        result.ExitCode.ShouldBe(0, "the run itself succeeded: not promoting is a decision, not a failure\n" + result.StandardError);
        var rows = Rows(result.StandardOutput).ToDictionary(row => row[0]);
        rows["linux/ppc64le"][2].ShouldBe("no");
        rows["linux/amd64"][2].ShouldBe("yes");
        rows.Values.ShouldAllBe(row => row[1] == "0.8797" && row[row.Length - 1] == "no");
        result.StandardOutput.ShouldContain("decision: not promoted: below the threshold 0.9");
    }

    [Fact]
    public async Task A_failed_run_exits_1_with_the_step_and_platform_and_shows_the_failed_architecture()
    {
        var result = await RunAsync("--table", Fixture("run-failed.json"));

        result.ExitCode.ShouldBe(1);
        result.StandardError.ShouldContain("error: run r-20261130-161733-55e1 failed: step test failed on linux/ppc64le: The action exceeded its time limit");
        var rows = Rows(result.StandardOutput).ToDictionary(row => row[0]);
        rows["linux/ppc64le"][1..4].ShouldBe(["failed", "-", "600"]);
        rows.Values.ShouldAllBe(row => row[row.Length - 1] == "no");
        result.StandardOutput.ShouldNotContain("decision:");
    }

    /// <summary>
    /// Records of real runs (recorded-run-*.json), each the file `scripts/demo-retrain.sh` wrote (`workflows runs get RUN
    /// --output json`), recorded 2026-11-30 by running `./scripts/demo-retrain.sh` four times in a row on one container
    /// host (services published from the branch's tree): runs 1 and 2 at main f1504cf (test reports were no files then,
    /// so only train has an artifact), runs 3 and 4 at retrain3 fe3729a (test.ipynb saves report.json: a test artifact
    /// per architecture). Each run pushes one batch more to datasets/digits: one batch reaches 0.8619 everywhere (not
    /// promoted), two 0.9109, three and four 0.9399 (promoted, :production moved to each new model). Since 163dd6e a step
    /// artifact's reference is repository@digest (it read …/retrain:latest@sha256:…, a tag the registry never had).
    /// </summary>
    [Theory]
    [InlineData("recorded-run-1-batch.json", 225, "0.8619", "no", "sha256:14f91f8ad845752be7b8bf7a9d12f493330f848cd470fcad125fba1ab05537fc", "decision: not promoted: below the threshold 0.9: linux/amd64 0.8619, linux/arm64 0.8619, linux/ppc64le 0.8619")]
    [InlineData("recorded-run-2-batches.json", 450, "0.9109", "yes", "sha256:21df06f2d077468715cfd831a585927d8694e6901e33a10dc6bfda2f3d174833", "decision: promoted: 3 architectures reach 0.9 and predict the same labels")]
    [InlineData("recorded-run-3-batches.json", 675, "0.9399", "yes", "sha256:9a51b2565de7ffaf314c6223647ce460045e720cb6a71f72ab7fd6961e94c057", "decision: promoted: 3 architectures reach 0.9 and predict the same labels")]
    [InlineData("recorded-run-4-batches.json", 900, "0.9399", "yes", "sha256:bb8181e84ddf16451c2be4c8f73f5d25318328f00b2fd9c03e1c9647f6fedb7f", "decision: promoted: 3 architectures reach 0.9 and predict the same labels")]
    public async Task The_table_of_a_recorded_demo_run_shows_three_architectures_and_the_model_by_digest(string record, int samples, string accuracy, string promoted, string model, string decision)
    {
        var result = await RunAsync("--table", Fixture(record));

        result.ExitCode.ShouldBe(0, result.StandardError);
        var rows = Rows(result.StandardOutput);
        var shortDigest = model.Substring(0, 19);
        rows.Select(row => row[0]).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);
        rows.ShouldAllBe(row => row[1] == accuracy && row[2] == "yes" && row[5] == shortDigest && row[6] == promoted);
        result.StandardOutput.ShouldContain("dataset datasets/digits@sha256:");
        result.StandardOutput.ShouldContain(decision);
        // The model as the results repository names it: repository@digest, no tag in front of the digest.
        var train = result.StandardOutput.Split('\n').Single(line => line.StartsWith("    train on ", StringComparison.Ordinal));
        train.ShouldMatch($@"^    train on linux/amd64: {samples} samples, [0-9.]+ s fit, model 127\.0\.0\.1:5000/workflows/retrain@{model}$");
    }

    [Fact]
    public async Task The_table_reads_a_run_record_from_stdin()
    {
        var result = await Cli.Wrap("bash").WithArguments([Script, "--table", "-"])
            .WithStandardInputPipe(PipeSource.FromFile(Fixture("run-promoted.json")))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);

        result.ExitCode.ShouldBe(0, result.StandardError);
        Rows(result.StandardOutput).Count.ShouldBe(3);
    }

    private static string Fixture(string name) => RepositoryRoot.Combine("tests", "Polyarch.Host.Tests", "Retrain", name);

    private static string[] Header(string output) =>
        Words(output.Split('\n').Single(line => line.TrimStart().StartsWith("ARCHITECTURE", StringComparison.Ordinal)));

    private static List<string[]> Rows(string output) =>
        output.Split('\n').Where(line => line.StartsWith("    linux/", StringComparison.Ordinal)).Select(Words).ToList();

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static Task<BufferedCommandResult> RunAsync(params string[] arguments) =>
        Cli.Wrap("bash").WithArguments([Script, .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
}

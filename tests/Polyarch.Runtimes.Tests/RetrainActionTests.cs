using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Polyarch.Runtimes.Tests;

/// <summary>
/// examples/retrain's actions through the real proxy (no invoker): the batches leave the held-out digits out, train on
/// two batches answers model.pkl, test on linux/amd64 and linux/arm64 (QEMU) scores it with the same predictions, and
/// decide promotes only when every platform reaches the threshold and all agree.
/// </summary>
[Trait("Category", "Integration")]
public sealed class RetrainActionTests(RetrainActions actions) : IClassFixture<RetrainActions>
{
    private const int Digits = 1797;

    // What the workflow passes as `model`: step train's artifact, repository@digest.
    private const string ModelReference = "127.0.0.1:5000/workflows/retrain@sha256:21df06f2d077468715cfd831a585927d8694e6901e33a10dc6bfda2f3d174833";

    [Fact]
    public async Task Make_batches_cuts_the_digits_without_the_held_out_quarter_into_six_batches()
    {
        actions.Inits.ShouldAllBe(init => init.Status == HttpStatusCode.OK, string.Join("; ", actions.Inits.Select(i => i.ToString())));

        var batches = await MakeBatchesAsync();

        batches.Keys.ShouldBe(Enumerable.Range(1, 6).Select(i => $"batch-{i}.csv"));
        var indexes = new List<int>();
        foreach (var (name, content) in batches)
        {
            var lines = Encoding.ASCII.GetString(content).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            lines[0].ShouldStartWith("index,p0,p1,", customMessage: name);
            lines[0].ShouldEndWith(",p63,label", customMessage: name);
            lines.Skip(1).ShouldAllBe(line => line.Split(',').Length == 66);
            indexes.AddRange(lines.Skip(1).Select(line => int.Parse(line[..line.IndexOf(',', StringComparison.Ordinal)], CultureInfo.InvariantCulture)));
        }

        indexes.ShouldBeUnique();
        indexes.ShouldAllBe(i => i % 4 != 3, "the held-out samples (index % 4 == 3) are never in a batch");
        indexes.Count.ShouldBe(Digits - Enumerable.Range(0, Digits).Count(i => i % 4 == 3));
    }

    [Fact]
    public async Task Train_on_two_batches_answers_a_model_that_amd64_and_arm64_score_with_the_same_predictions()
    {
        var batches = await MakeBatchesAsync();

        var train = await actions.Train.RunAsync(new JsonObject
        {
            ["dataset"] = "sha256:0000",
            [ProxyFiles.Key] = ProxyFiles.Of(("batch-2.csv", batches["batch-2.csv"]), ("batch-1.csv", batches["batch-1.csv"])),
        });

        train.Status.ShouldBe(HttpStatusCode.OK, train.ToString());
        var model = ProxyFiles.In(train.Body);
        model.Keys.ShouldBe(["model.pkl"]);
        model["model.pkl"].Length.ShouldBeGreaterThan(1000);
        train.Body!["samples"]!.GetValue<int>().ShouldBe(Rows(batches["batch-1.csv"]) + Rows(batches["batch-2.csv"]));
        train.Body["classes"]!.GetValue<int>().ShouldBe(10);
        train.Body["batches"]!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(["batch-1.csv", "batch-2.csv"]);
        train.Body["platform"]!.GetValue<string>().ShouldBe("linux/amd64");
        train.Body["trainSeconds"]!.GetValue<double>().ShouldBeGreaterThan(0);

        var modelFiles = ProxyFiles.Of(("model.pkl", model["model.pkl"]));
        var tests = await Task.WhenAll(
            actions.TestAmd64.RunAsync(new JsonObject { ["model"] = ModelReference, [ProxyFiles.Key] = modelFiles.DeepClone() }),
            actions.TestArm64.RunAsync(new JsonObject { ["model"] = ModelReference, [ProxyFiles.Key] = modelFiles.DeepClone() }));

        foreach (var (answer, platform) in tests.Zip(["linux/amd64", "linux/arm64"]))
        {
            answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
            answer.Body!["platform"]!.GetValue<string>().ShouldBe(platform);
            answer.Body["samples"]!.GetValue<int>().ShouldBe(Enumerable.Range(0, Digits).Count(i => i % 4 == 3));
            answer.Body["accuracy"]!.GetValue<double>().ShouldBeInRange(0.8, 1.0, answer.ToString());
            answer.Body["checksum"]!.GetValue<string>().ShouldMatch("^sha256:[0-9a-f]{64}$");
            answer.Body["seconds"]!.GetValue<double>().ShouldBeGreaterThan(0);
            // The report file becomes the test step's artifact: it names the model it scored (lineage in the registry).
            var report = ProxyFiles.In(answer.Body);
            report.Keys.ShouldBe(["report.json"]);
            var saved = JsonNode.Parse(report["report.json"])!;
            saved["model"]!.GetValue<string>().ShouldBe(ModelReference);
            saved["accuracy"]!.GetValue<double>().ShouldBe(answer.Body["accuracy"]!.GetValue<double>());
            saved["checksum"]!.GetValue<string>().ShouldBe(answer.Body["checksum"]!.GetValue<string>());
            saved["platform"]!.GetValue<string>().ShouldBe(platform);
        }

        tests[1].Body!["checksum"]!.GetValue<string>().ShouldBe(tests[0].Body!["checksum"]!.GetValue<string>(), "arm64 under QEMU predicts what amd64 predicts");
        tests[1].Body!["accuracy"]!.GetValue<double>().ShouldBe(tests[0].Body!["accuracy"]!.GetValue<double>());
    }

    [Fact]
    public async Task Train_without_batches_fails_saying_which_files_it_needs()
    {
        var answer = await actions.Train.RunAsync(new JsonObject { [ProxyFiles.Key] = ProxyFiles.OfText(("notes.txt", "x")) });

        answer.Status.ShouldBe(HttpStatusCode.BadGateway, answer.ToString());
        answer.Error.ShouldContain("No batch-N.csv among the input files (notes.txt)");
    }

    [Theory]
    [InlineData(0.95, 0.95, "a", "a", 0.9, true, true, "promoted: 2 architectures reach 0.9")]
    [InlineData(0.95, 0.85, "a", "a", 0.9, false, true, "below the threshold 0.9: linux/arm64 0.8500")]
    [InlineData(0.95, 0.95, "a", "b", 0.9, false, false, "predict different labels")]
    [InlineData(0.95, 0.95, "a", "a", 0.99, false, true, "below the threshold 0.99: linux/amd64 0.9500, linux/arm64 0.9500")]
    public async Task Decide_promotes_only_when_every_platform_reaches_the_threshold_and_all_predict_the_same(
        double amd64, double arm64, string amd64Checksum, string arm64Checksum, double threshold, bool promote, bool agree, string reason)
    {
        var answer = await actions.Decide.RunAsync(new JsonObject
        {
            ["threshold"] = threshold,
            ["results"] = new JsonObject
            {
                ["linux/amd64"] = new JsonObject { ["accuracy"] = amd64, ["checksum"] = "sha256:" + amd64Checksum },
                ["linux/arm64"] = new JsonObject { ["accuracy"] = arm64, ["checksum"] = "sha256:" + arm64Checksum },
            },
        });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.Body!["promote"]!.GetValue<bool>().ShouldBe(promote, answer.ToString());
        answer.Body["agree"]!.GetValue<bool>().ShouldBe(agree, answer.ToString());
        answer.Body["reason"]!.GetValue<string>().ShouldContain(reason);
        answer.Body["accuracy"]!["linux/arm64"]!.GetValue<double>().ShouldBe(arm64);
    }

    [Fact]
    public async Task Decide_without_results_does_not_promote()
    {
        var answer = await actions.Decide.RunAsync(new JsonObject { ["results"] = new JsonObject() });

        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        answer.Body!["promote"]!.GetValue<bool>().ShouldBeFalse();
        answer.Body["reason"]!.GetValue<string>().ShouldBe("not promoted: no test results");
    }

    private async Task<Dictionary<string, byte[]>> MakeBatchesAsync()
    {
        var answer = await actions.Batches.RunAsync(new JsonObject { ["batches"] = 6 });
        answer.Status.ShouldBe(HttpStatusCode.OK, answer.ToString());
        return ProxyFiles.In(answer.Body).OrderBy(f => f.Key, StringComparer.Ordinal).ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal);
    }

    private static int Rows(byte[] csv) => Encoding.ASCII.GetString(csv).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
}

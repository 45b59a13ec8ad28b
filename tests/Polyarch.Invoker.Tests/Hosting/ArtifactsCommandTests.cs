using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Invoker.Tests.Triggers;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Hosting;

/// <summary>`polyarch-invoker artifacts push|referrers|pull`, the real executable against the real registry, read back by skopeo too.</summary>
[Collection(TriggersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ArtifactsCommandTests(TriggersFixture fixture) : IDisposable
{
    private const string Dataset = "application/vnd.polyarch.dataset.v1";
    private const string Model = "application/vnd.polyarch.model.v1";
    private readonly string _state = Directory.CreateTempSubdirectory("invoker-artifacts-cli-").FullName;
    private readonly string _repository = $"demo/cli-digits-{Guid.NewGuid().ToString("N")[..8]}";

    public void Dispose() => Directory.Delete(_state, recursive: true);

    [Fact]
    public async Task Push_TwoFilesWithASubject_IsListedAsAReferrer_PullsBackTheBytes_AndSkopeoReadsIt()
    {
        var data = Write("batch-1.csv", "pixel0,pixel1,label\n0,16,3\n");
        var model = Write("model.pkl", "model bytes \u0001\u0002");
        var report = Write("report.json", "{\"accuracy\":0.95}");
        var dataset = $"{fixture.Registry}/{_repository}:batch-1";
        var pushedData = await RunAsync("artifacts", "push", dataset, data, "--type", Dataset);
        pushedData.ExitCode.ShouldBe(0, pushedData.StandardError);
        var datasetDigest = pushedData.StandardOutput.Trim();
        datasetDigest.ShouldStartWith("sha256:");

        var pushed = await RunAsync("artifacts", "push", $"{fixture.Registry}/{_repository}:model-1", model, report,
            "--type", Model, "--subject", dataset, "--annotation", "io.polyarch.step=train", "--output", "json");

        pushed.ExitCode.ShouldBe(0, pushed.StandardError);
        var answer = JsonNode.Parse(pushed.StandardOutput)!;
        var modelDigest = answer["digest"]!.GetValue<string>();
        answer["files"]!.AsArray().Select(f => f!.GetValue<string>()).ShouldBe(["model.pkl", "report.json"]);
        answer["referrersTag"]!.GetValue<string>().ShouldEndWith($":{datasetDigest.Replace(':', '-')}");

        var referrers = await RunAsync("artifacts", "referrers", dataset, "--output", "json");
        referrers.ExitCode.ShouldBe(0, referrers.StandardError);
        var listed = JsonNode.Parse(referrers.StandardOutput)!.AsArray().ShouldHaveSingleItem()!;
        listed["digest"]!.GetValue<string>().ShouldBe(modelDigest);
        listed["artifactType"]!.GetValue<string>().ShouldBe(Model);
        listed["annotations"]!["io.polyarch.step"]!.GetValue<string>().ShouldBe("train");
        var otherType = await RunAsync("artifacts", "referrers", $"{fixture.Registry}/{_repository}@{datasetDigest}", "--type", Dataset, "--output", "json");
        JsonNode.Parse(otherType.StandardOutput)!.AsArray().ShouldBeEmpty();

        var into = Path.Combine(_state, "pulled");
        var pull = await RunAsync("artifacts", "pull", $"{fixture.Registry}/{_repository}@{modelDigest}", into);
        pull.ExitCode.ShouldBe(0, pull.StandardError);
        (await File.ReadAllBytesAsync(Path.Combine(into, "model.pkl"))).ShouldBe(await File.ReadAllBytesAsync(model));
        (await File.ReadAllBytesAsync(Path.Combine(into, "report.json"))).ShouldBe(await File.ReadAllBytesAsync(report));

        var skopeo = await Cli.Wrap("/usr/bin/skopeo")
            .WithArguments(["inspect", "--raw", "--tls-verify=false", $"docker://{fixture.Registry}/{_repository}:model-1"])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
        skopeo.ExitCode.ShouldBe(0, skopeo.StandardError);
        var manifest = JsonNode.Parse(skopeo.StandardOutput)!;
        manifest["artifactType"]!.GetValue<string>().ShouldBe(Model);
        manifest["subject"]!["digest"]!.GetValue<string>().ShouldBe(datasetDigest);
        manifest["layers"]!.AsArray().Select(l => l!["annotations"]!["org.opencontainers.image.title"]!.GetValue<string>()).ShouldBe(["model.pkl", "report.json"]);
    }

    [Fact]
    public async Task BadInput_ExitsTwo_NamingWhatIsWrong_AndAnUnreachableRegistryExitsThree()
    {
        var missing = await RunAsync("artifacts", "push", $"{fixture.Registry}/{_repository}:x", Path.Combine(_state, "nope.csv"), "--type", Dataset);
        missing.ExitCode.ShouldBe(2);
        missing.StandardError.ShouldContain("nope.csv");
        missing.StandardError.ShouldContain("is not a file");

        var file = Write("a.csv", "a");
        var annotation = await RunAsync("artifacts", "push", $"{fixture.Registry}/{_repository}:x", file, "--type", Dataset, "--annotation", "novalue", "--output", "json");
        annotation.ExitCode.ShouldBe(2);
        JsonNode.Parse(annotation.StandardOutput)!["error"]!.GetValue<string>().ShouldContain("--annotation novalue is not KEY=VALUE");

        var noType = await RunAsync("artifacts", "push", $"{fixture.Registry}/{_repository}:x", file);
        noType.ExitCode.ShouldBe(2);
        noType.StandardError.ShouldContain("--type");

        var down = await RunAsync("artifacts", "push", $"127.0.0.1:{InvokerCli.ClosedPort()}/{_repository}:x", file, "--type", Dataset);
        down.ExitCode.ShouldBe(3, down.StandardError);
    }

    private string Write(string name, string content)
    {
        var path = Path.Combine(_state, name);
        File.WriteAllText(path, content);
        return path;
    }

    private Task<BufferedCommandResult> RunAsync(params string[] arguments) => InvokerCli.RunAsync(_state, arguments);
}

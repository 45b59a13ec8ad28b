using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Manifests;

/// <summary>
/// `polyarch-builder manifest create|append|inspect` — what `docker manifest create --insecure` did by hand — run
/// through the real command line against a real registry holding per-architecture images built by buildx.
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ManifestCliTests(RegistryFixture fixture) : IAsyncLifetime
{
    private static readonly string[] Architectures = ["amd64", "arm64", "ppc64le"];
    private readonly string _repository = $"manifest-cli/{TestRun.Id}";

    private string Repository => $"{fixture.Address}/{_repository}";

    public async Task InitializeAsync()
    {
        var context = Polyarch.Testing.Buildx.CreateContext(new Dictionary<string, string>
        {
            ["Dockerfile"] = $"""
                FROM {HostSettings.BaseImage}
                LABEL io.polyarch.test="manifest-cli"
                """,
        });
        foreach (var architecture in Architectures)
        {
            await Polyarch.Testing.Buildx.BuildAndPushAsync(context, $"{Repository}:{architecture}", [$"linux/{architecture}"]);
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Create_ThenInspect_ShowsOneIndexWithEveryArchitecture()
    {
        var created = await RunAsync("manifest", "create", $"{Repository}:multi", $"{Repository}:amd64", $"{Repository}:arm64", $"{Repository}:ppc64le", "--insecure", "--output", "json");

        created.ExitCode.ShouldBe(0, created.Stderr);
        var index = JsonNode.Parse(created.Stdout)!;
        index["reference"]!.GetValue<string>().ShouldBe($"{Repository}:multi");
        var children = index["children"]!.AsArray();
        children.Select(c => c!["platform"]!.GetValue<string>()).Order().ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"]);

        var inspected = await RunAsync("manifest", "inspect", $"{Repository}:multi", "--output", "json");
        inspected.ExitCode.ShouldBe(0, inspected.Stderr);
        var inspection = JsonNode.Parse(inspected.Stdout)!;
        inspection["digest"]!.GetValue<string>().ShouldBe(index["digest"]!.GetValue<string>());
        inspection["manifests"]!.AsArray().Where(m => m!["runnable"]!.GetValue<bool>())
            .Select(m => m!["digest"]!.GetValue<string>()).Order()
            .ShouldBe(children.Select(c => c!["digest"]!.GetValue<string>()).Order());

        var table = await RunAsync("manifest", "inspect", $"{Repository}:multi");
        table.ExitCode.ShouldBe(0, table.Stderr);
        table.Stdout.ShouldContain("linux/ppc64le");
    }

    [Fact]
    public async Task Append_AddsAPlatform_AndAppendingItAgainChangesNothing()
    {
        (await RunAsync("manifest", "create", $"{Repository}:grow", $"{Repository}:amd64")).ExitCode.ShouldBe(0);

        var appended = await RunAsync("manifest", "append", $"{Repository}:grow", $"{Repository}:arm64", "--output", "json");
        appended.ExitCode.ShouldBe(0, appended.Stderr);
        var again = await RunAsync("manifest", "append", $"{Repository}:grow", $"{Repository}:arm64", "--output", "json");
        again.ExitCode.ShouldBe(0, again.Stderr);

        var first = JsonNode.Parse(appended.Stdout)!;
        first["children"]!.AsArray().Select(c => c!["platform"]!.GetValue<string>()).Order().ShouldBe(["linux/amd64", "linux/arm64"]);
        JsonNode.Parse(again.Stdout)!["digest"]!.GetValue<string>().ShouldBe(first["digest"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_FromAMissingImage_ExitsOne_NamesIt_AndWritesNothing()
    {
        var missing = $"{Repository}:no-such-tag";

        var result = await RunAsync("manifest", "create", $"{Repository}:never", $"{Repository}:amd64", missing, "--output", "json");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("no-such-tag");
        JsonNode.Parse(result.Stdout)!["error"]!["exitCode"]!.GetValue<int>().ShouldBe(1);
        (await RunAsync("manifest", "inspect", $"{Repository}:never")).ExitCode.ShouldBe(1, "a failed create must not leave a partial index");
    }

    [Fact]
    public async Task Create_WithTwoImagesOfOnePlatform_ExitsTwo_AndSaysWhich()
    {
        var result = await RunAsync("manifest", "create", $"{Repository}:twice", $"{Repository}:arm64", $"{Repository}:arm64");

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain("linux/arm64");
    }

    [Theory]
    [InlineData("not a reference")]
    [InlineData("UPPER/case:tag")]
    public async Task Create_WithAnInvalidReference_ExitsTwo_AndQuotesIt(string reference)
    {
        var result = await RunAsync("manifest", "create", reference, $"{Repository}:amd64");

        result.ExitCode.ShouldBe(2, result.Stderr);
        result.Stderr.ShouldContain(reference);
    }

    [Fact]
    public async Task Inspect_OnARegistryThatDoesNotAnswer_ExitsThree()
    {
        var result = await RunAsync("manifest", "inspect", $"127.0.0.1:{TestPorts.FreePort()}/demo/echo:latest");

        result.ExitCode.ShouldBe(3, result.Stderr);
        result.Stderr.ShouldContain("127.0.0.1");
    }

    private static async Task<CliResult> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var parseResult = BuilderCommandLine.Create().Parse(args);
        parseResult.Errors.ShouldBeEmpty(string.Join("; ", parseResult.Errors.Select(e => e.Message)));
        var exitCode = await parseResult.InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
        return new CliResult(exitCode, stdout.ToString(), stderr.ToString());
    }

    private sealed record CliResult(int ExitCode, string Stdout, string Stderr);
}

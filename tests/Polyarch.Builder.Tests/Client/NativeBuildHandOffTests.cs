using System.Text.Json;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Client;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Manifests;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Client;

/// <summary>
/// Issue 18 P4/P5: `polyarch-builder build` through polyarch-builder-manifest (Native AOT) against a recorded service (a
/// loopback server that answers as one) says exactly what the managed CLI says — report in every format, error lines, exit
/// codes — sends the API key only after /healthz confirmed the recorded instance, and hands the build back when it is not.
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Integration")]
public sealed class NativeBuildHandOffTests(NativeManifestToolBuild native) : IClassFixture<NativeManifestToolBuild>, IDisposable
{
    private const string Instance = "recorded-instance";
    private const string Key = "native-secret-key";
    private readonly TempDirectory _state = new("polyarch-native-build-");

    // Each report through the CLI as built (polyarch-builder.dll execs the native tool) and through the installed front door.
    public static TheoryData<string, string, bool> Reports() => new()
    {
        { "table", "succeeded", false }, { "json", "succeeded", false }, { "yaml", "succeeded", false },
        { "table", "failed", false }, { "json", "failed", false }, { "yaml", "failed", false },
        { "table", "succeeded", true }, { "json", "failed", true },
    };

    [Theory]
    [MemberData(nameof(Reports))]
    public async Task The_native_hand_off_prints_the_managed_report_and_exit_code_and_sends_the_key_only_after_the_probe(string output, string status, bool frontDoor)
    {
        await using var server = await KeepAliveServer.StartAsync(Instance, Answer(status));
        WriteServeJson(server.Url, Instance);
        string[] args = ["build", _state.Path, "--platforms", "linux/amd64", "--output", output];

        var managed = await BuilderProcess.RunAsync(_state.Path, args);
        var managedRequests = server.Requests.Count;
        var (nativeResult, timings) = await NativeRun.RunAsync(frontDoor ? native.FrontDoor : native.CliDll, _state.Path, null, CancellationToken.None, args);

        var expectedExit = status == "succeeded" ? 0 : 1;
        managed.ExitCode.ShouldBe(expectedExit, managed.Stderr);
        nativeResult.ExitCode.ShouldBe(expectedExit, nativeResult.Stderr);
        nativeResult.Stdout.ShouldBe(managed.Stdout);
        nativeResult.Stderr.ShouldBe(managed.Stderr);
        NativeRun.AssertHandledBy(timings, service: true);
        var requests = server.Requests.Skip(managedRequests).ToList();
        requests[0].Path.ShouldBe("/healthz");
        requests[0].Authorization.ShouldBeNull("the key goes out only once the instance id is confirmed");
        requests[1].Path.ShouldBe("/v1/builds");
        requests.Skip(1).ShouldAllBe(request => request.Authorization == $"Bearer {Key}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Another_instance_gets_no_key_and_the_build_goes_back_to_the_managed_cli_which_builds_in_process(bool frontDoor)
    {
        await using var server = await KeepAliveServer.StartAsync("another-instance", Answer("succeeded"));
        WriteServeJson(server.Url, Instance);
        string[] args = ["build", "/nonexistent/polyarch-repository", "--output", "json"];

        var (nativeResult, timings) = await NativeRun.RunAsync(frontDoor ? native.FrontDoor : native.CliDll, _state.Path, null, CancellationToken.None, args);
        var alone = await BuilderProcess.RunAsync(_state.Path, [.. args, "--in-process"]);

        NativeRun.AssertHandledBy(timings, service: false);
        nativeResult.ExitCode.ShouldBe(2, nativeResult.Stderr);
        nativeResult.Stdout.ShouldBe(alone.Stdout);
        nativeResult.Stderr.ShouldBe(alone.Stderr);
        timings.Count(line => line.Contains("serve.json read", StringComparison.Ordinal)).ShouldBe(1, "the managed CLI does not probe again");
        server.Requests.ShouldHaveSingleItem().Authorization.ShouldBeNull();
    }

    [Theory]
    [InlineData(2, "build")]
    [InlineData(2, "build", ".", "--output", "xml")]
    [InlineData(2, "build", ".", "--url", "not a url", "--output", "json")]
    [InlineData(2, "build", ".", "--url", "http://127.0.0.1:9", "--in-process")]
    [InlineData(2, "build", ".", "--url", "http://127.0.0.1:9", "--api-key-file", "/nonexistent/key", "--output", "yaml")]
    [InlineData(3, "build", ".", "--url", "http://127.0.0.1:{closed}", "--output", "json")]
    [InlineData(3, "build", ".", "--url", "http://127.0.0.1:{closed}")]
    public async Task Bad_input_and_an_unreachable_url_give_the_managed_exit_code_and_lines(int exitCode, params string[] arguments)
    {
        var closed = TestPorts.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        string[] args = [.. arguments.Select(a => a.Replace("{closed}", closed, StringComparison.Ordinal))];

        var managed = await BuilderProcess.RunAsync(_state.Path, args);
        var (nativeResult, timings) = await NativeRun.RunAsync(native, _state.Path, null, args);

        managed.ExitCode.ShouldBe(exitCode, managed.Stderr);
        nativeResult.ExitCode.ShouldBe(exitCode, nativeResult.Stderr);
        nativeResult.Stdout.ShouldBe(managed.Stdout);
        nativeResult.Stderr.ShouldBe(managed.Stderr);
        timings.ShouldContain(line => line.EndsWith(NativeRun.NativeStarted, StringComparison.Ordinal));
    }

    [Fact]
    public async Task With_the_switch_at_0_the_build_stays_in_the_managed_cli()
    {
        await using var server = await KeepAliveServer.StartAsync(Instance, Answer("succeeded"));
        WriteServeJson(server.Url, Instance);

        var (result, timings) = await NativeRun.RunAsync(
            native, _state.Path, new Dictionary<string, string> { [NativeManifestTool.BuildSwitchVariable] = "0" }, "build", _state.Path, "--output", "json");

        result.ExitCode.ShouldBe(0, result.Stderr);
        timings.ShouldNotContain(line => line.EndsWith(NativeRun.NativeStarted, StringComparison.Ordinal));
        timings.ShouldContain(line => line.EndsWith(NativeRun.ManagedStarted, StringComparison.Ordinal));
    }

    public void Dispose() => _state.Dispose();

    private void WriteServeJson(string url, string instance)
    {
        Directory.CreateDirectory(_state.Combine("builder"));
        File.WriteAllText(_state.Combine("builder", "serve.json"), $"{{\"url\":\"{url.TrimEnd('/')}\",\"instance\":\"{instance}\",\"pid\":{Environment.ProcessId}}}");
        Directory.CreateDirectory(_state.Combine("secrets"));
        File.WriteAllText(_state.Combine("secrets", "builder-api.key"), Key + "\n");
    }

    // What POST /v1/builds answers for a build that already ran (succeeded: reused, no events; failed: its /events line reads
    // the same object's "build").
    private static string Answer(string status)
    {
        var failed = status == "failed";
        var record = new BuildRecord(
            "b-native",
            new BuildRequest("/src/echo", "127.0.0.1:5000", "demo/echo", new string('a', 40), "main", true, ["linux/amd64", "linux/arm64"], "cli"),
            failed ? BuildStatus.Failed : BuildStatus.Succeeded,
            new DateTimeOffset(2026, 12, 1, 2, 0, 0, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 1, 2, 0, 1, TimeSpan.Zero),
            new DateTimeOffset(2026, 12, 1, 2, 0, 3, TimeSpan.Zero),
            1,
            null,
            null,
            failed ? [] : [new BuiltImage("default", "127.0.0.1:5000", "demo/echo", "sha256:" + new string('b', 64), ["aaaaaaaaaaaa", "main", "latest"],
                [new PlatformDigest("linux/amd64", "sha256:" + new string('c', 64), 1234, "amd64"), new PlatformDigest("linux/arm64", "sha256:" + new string('d', 64), 1300, "arm64")])],
            [new PlatformTiming("linux/amd64", 1200, 5, false), new PlatformTiming("linux/arm64", 2200, 5, failed)],
            ["push: HTTP 500, retried"],
            failed ? new BuildError("RUN make failed on linux/arm64", 1, "linux/arm64", "[linux/arm64 2/2] RUN make", "make: *** error 2") : null)
        {
            Warnings = ["cache export skipped"],
        };
        return JsonSerializer.Serialize(new BuilderServiceClient.SubmitAnswer(record, Created: false, Requeued: false), BuildJson.Options);
    }
}

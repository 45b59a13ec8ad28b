using System.Diagnostics;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;
using Xunit.Abstractions;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>
/// Benchmark (reports, never asserts a time): examples/python-hello/hello.py as a code action on polyarch/python:3.11,
/// cold (new container + /init with the code) and warm, native (linux/amd64) and emulated (linux/arm64), vs
/// `docker run --rm` of the same runtime running the same file. Run: dotnet test --filter Category=Benchmark.
/// With POLYARCH_BENCH_P15_JSON=FILE the samples are also written there as JSON (scripts/bench.sh reads it).
/// </summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class PythonCodeActionBenchmark(ITestOutputHelper output)
{
    private const int ColdSamples = 5;
    private const int WarmSamples = 30;
    private const int DockerRunSamples = 5;

    [Fact]
    public async Task Hello_py_cold_and_warm_native_and_emulated_vs_docker_run()
    {
        var runtime = await PythonRuntime.GetAsync();
        var hello = RepositoryRoot.Combine("examples", "python-hello", "hello.py");
        var code = ActionCode.FromText(await File.ReadAllTextAsync(hello));
        var results = new JsonObject();
        await using var harness = new InvokerHarness(new Dictionary<string, string?> { ["WarmPool:MaxContainers"] = "16", ["WarmPool:MaxContainersPerKey"] = "1" });
        foreach (var (platform, emulated) in new[] { ("linux/amd64", false), ("linux/arm64", true) })
        {
            var cold = new List<double>();
            for (var i = 0; i < ColdSamples + 1; i++)
            {
                // A new action per sample: its own pool key, so every call starts a container and sends the code at /init.
                var name = $"bench-cold-{platform.Replace('/', '-')}-{i}";
                await harness.Actions.PutAsync(new ActionDefinition { Name = name, Image = runtime, Code = code }, CancellationToken.None);
                var (ms, record) = await TimeAsync(() => harness.Invoker.InvokeAsync(new InvocationRequest(name, [], platform), CancellationToken.None));
                record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
                record.Cold.ShouldBeTrue();
                if (i > 0)
                {
                    cold.Add(ms); // the first pulls the variant into the engine: not a cold start of a present image
                }
            }

            var warm = new List<double>();
            var warmName = $"bench-warm-{platform.Replace('/', '-')}";
            await harness.Actions.PutAsync(new ActionDefinition { Name = warmName, Image = runtime, Code = code }, CancellationToken.None);
            for (var i = 0; i < WarmSamples + 3; i++)
            {
                var (ms, record) = await TimeAsync(() => harness.Invoker.InvokeAsync(new InvocationRequest(warmName, new JsonObject { ["i"] = i }, platform), CancellationToken.None));
                record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
                if (i >= 3)
                {
                    record.Cold.ShouldBeFalse();
                    warm.Add(ms);
                }
            }

            var dockerRun = new List<double>();
            for (var i = 0; i < DockerRunSamples; i++)
            {
                var clock = Stopwatch.StartNew();
                var run = await Cli.Wrap("/usr/bin/docker")
                    .WithArguments(["run", "--rm", "--platform", platform, "--label", $"{TestRun.LabelKey}={TestRun.Id}", "-v", $"{hello}:/action/hello.py:ro",
                        "--entrypoint", "python3", runtime, "/action/hello.py", "{}"])
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteBufferedAsync();
                clock.Stop();
                run.ExitCode.ShouldBe(0, run.StandardError);
                run.StandardOutput.ShouldContain(emulated ? "aarch64" : "x86_64");
                dockerRun.Add(clock.Elapsed.TotalMilliseconds);
            }

            output.WriteLine($"{platform}{(emulated ? " (emulated)" : "")}: cold {Median(cold):0} ms, warm {Median(warm):0.0} ms, docker run --rm {Median(dockerRun):0} ms (medians)");
            results[platform] = new JsonObject
            {
                ["emulated"] = emulated,
                ["coldMs"] = Array(cold),
                ["warmMs"] = Array(warm),
                ["dockerRunMs"] = Array(dockerRun),
            };
        }

        if (Environment.GetEnvironmentVariable("POLYARCH_BENCH_P15_JSON") is { Length: > 0 } jsonFile)
        {
            await File.WriteAllTextAsync(jsonFile, new JsonObject { ["unit"] = "ms", ["image"] = runtime, ["platforms"] = results }.ToJsonString());
        }
    }

    private static async Task<(double Ms, ActivationRecord Record)> TimeAsync(Func<Task<ActivationRecord>> call)
    {
        var clock = Stopwatch.StartNew();
        var record = await call();
        return (clock.Elapsed.TotalMilliseconds, record);
    }

    private static double Median(List<double> samples) => samples.Order().ElementAt(samples.Count / 2);

    private static JsonArray Array(List<double> samples) => new([.. samples.Select(s => (JsonNode)Math.Round(s, 2))]);
}

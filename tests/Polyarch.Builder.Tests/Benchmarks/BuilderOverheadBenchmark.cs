using System.Diagnostics;
using CliWrap;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Definition;
using Polyarch.Builder.Tests.Integration;
using Polyarch.Builder.Tests.Support;
using Polyarch.Testing;
using Xunit.Abstractions;

namespace Polyarch.Builder.Tests.Benchmarks;

/// <summary>
/// Builder wall time (warm process, as in the service) vs raw <c>docker buildx bake</c> with the very same
/// arguments, same checkout content and cache, alternating runs on this shared machine; medians are printed.
/// Run: dotnet test --filter Category=Benchmark --logger "console;verbosity=detailed". With POLYARCH_BENCH_P4_JSON=FILE
/// the samples are also written there as JSON (scripts/bench.sh reads it: P4 as the service runs it).
/// </summary>
[Collection(BuildCollection.Name)]
[Trait("Category", "Benchmark")]
public sealed class BuilderOverheadBenchmark(RegistryFixture registry, ITestOutputHelper output) : IDisposable
{
    private const int Runs = 3;
    private readonly TestGitRepository _repository = new();
    private readonly BuildHarness _harness = new(registry.Address);
    private readonly TempDirectory _raw = new();

    [Fact]
    public async Task Builder_vs_raw_bake_same_checkout_and_cache()
    {
        _repository.CommitDirectory(RepositoryRoot.Combine("examples", "echo"));
        (await _harness.BuildAsync(_repository.Path, "bench/echo")).ExitCode.ShouldBe(0); // warm the process and the cache
        var builder = new List<double>();
        var raw = new List<double>();
        for (var run = 1; run <= Runs; run++)
        {
            var commit = _repository.Commit(new Dictionary<string, string> { ["README"] = $"run {run}" });
            var clock = Stopwatch.StartNew();
            var result = await _harness.BuildAsync(_repository.Path, "bench/echo");
            builder.Add(clock.Elapsed.TotalSeconds);
            result.ExitCode.ShouldBe(0, result.Stderr);

            raw.Add(await RawBakeAsync(commit, run));
        }

        var again = Stopwatch.StartNew();
        var redelivered = await _harness.BuildAsync(_repository.Path, "bench/echo");
        var redeliveredSeconds = again.Elapsed.TotalSeconds;
        redelivered.Json!["reused"]!.GetValue<bool>().ShouldBeTrue();

        var (builderMedian, rawMedian) = (Median(builder), Median(raw));
        output.WriteLine($"builder (warm process), s: {string.Join(" ", builder.Select(s => s.ToString("0.00")))} median {builderMedian:0.00}");
        output.WriteLine($"raw docker buildx bake, s: {string.Join(" ", raw.Select(s => s.ToString("0.00")))} median {rawMedian:0.00}");
        output.WriteLine($"ratio builder/raw: {builderMedian / rawMedian:0.00}");
        output.WriteLine($"re-delivered push (0 rebuilds): {redeliveredSeconds:0.000} s");
        if (Environment.GetEnvironmentVariable("POLYARCH_BENCH_P4_JSON") is { Length: > 0 } jsonFile)
        {
            var json = new System.Text.Json.Nodes.JsonObject
            {
                ["unit"] = "s",
                ["builderWarmProcess"] = new System.Text.Json.Nodes.JsonArray([.. builder.Select(s => (System.Text.Json.Nodes.JsonNode)s)]),
                ["rawBake"] = new System.Text.Json.Nodes.JsonArray([.. raw.Select(s => (System.Text.Json.Nodes.JsonNode)s)]),
                ["redeliveredSeconds"] = redeliveredSeconds,
            };
            await File.WriteAllTextAsync(jsonFile, json.ToJsonString());
        }
    }

    private async Task<double> RawBakeAsync(string commit, int run)
    {
        // One checkout directory, updated commit to commit, as a user bakes in their working copy (and as the builder keeps one
        // per repository): BuildKit sends only what changed from the last bake of that directory.
        var checkout = _raw.Combine("src");
        var work = _raw.Combine($"run{run}");
        Directory.CreateDirectory(work);
        await new Polyarch.Builder.Git.GitSource(
                Microsoft.Extensions.Options.Options.Create(new Polyarch.Builder.Hosting.BuilderOptions { StateDirectory = _raw.Combine("state") }),
                Microsoft.Extensions.Logging.Abstractions.NullLogger<Polyarch.Builder.Git.GitSource>.Instance)
            .CheckoutAsync(_repository.Path, commit, checkout, CancellationToken.None);
        var file = Path.Combine(work, "polyarch.bake.json");
        await File.WriteAllTextAsync(file, System.Text.Json.JsonSerializer.Serialize(new { target = new { @default = new { context = checkout, dockerfile = "Dockerfile" } } }));
        var arguments = BakeArguments.Build(new BakeInvocation(
            new BuildDefinition([file], [new BuildTarget("default", "bench/echo")], false), registry.Address, HostSettings.Platforms,
            $"raw-{run}", "file://" + _repository.Path, commit, DateTimeOffset.UnixEpoch, Path.Combine(work, "metadata.json"), null));
        // distribution 2.8 now and then answers the engine's HEAD of the manifest it is writing with a 500 (container-host
        // notes; the builder retries it at once): try again, timing the attempt that succeeds, as builder-vs-bake.sh does.
        for (var attempt = 1; ; attempt++)
        {
            var stderr = new System.Text.StringBuilder();
            var clock = Stopwatch.StartNew();
            var result = await CliWrap.Cli.Wrap(HostSettings.DockerCli).WithArguments(arguments).WithWorkingDirectory(checkout)
                .WithValidation(CommandResultValidation.None).WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr)).ExecuteAsync();
            var seconds = clock.Elapsed.TotalSeconds;
            if (result.ExitCode != 0 && attempt < 3 && stderr.ToString().Contains("500 Internal Server Error", StringComparison.Ordinal))
            {
                continue;
            }

            result.ExitCode.ShouldBe(0, string.Join('\n', stderr.ToString().Split('\n').Where(l => !l.StartsWith(' ') && l is not "{" and not "}").TakeLast(10)));
            return seconds;
        }
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    public void Dispose()
    {
        _harness.Dispose();
        _repository.Dispose();
        _raw.Dispose();
    }
}

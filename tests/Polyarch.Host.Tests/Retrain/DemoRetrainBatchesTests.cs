using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.Retrain;

/// <summary>
/// scripts/demo-retrain.sh --make-batches: the demo's data made by examples/retrain/make_batches.py in the real Python
/// runtime image on this machine's platform (scripts/test.sh ensured the image) — six batches of the digits set without
/// the held-out quarter, the same bytes every time, made once.
/// </summary>
[Trait("Category", "Integration")]
public sealed class DemoRetrainBatchesTests : IDisposable
{
    private const int Digits = 1797;
    private readonly string _directory = Path.Combine(Path.GetTempPath(), $"polyarch-retrain-{Guid.NewGuid():N}");

    [Fact]
    public async Task Make_batches_writes_six_deterministic_batches_without_the_held_out_digits_once()
    {
        await ContainerHost.EnsureUpAsync();
        var first = Path.Combine(_directory, "first");
        var second = Path.Combine(_directory, "second");

        var made = await RunAsync("--make-batches", first);
        var again = await RunAsync("--make-batches", first);
        var elsewhere = await RunAsync("--make-batches", second);

        made.ExitCode.ShouldBe(0, made.StandardOutput + made.StandardError);
        var names = Enumerable.Range(1, 6).Select(i => $"batch-{i}.csv").ToArray();
        Directory.GetFiles(first).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(names);
        var indexes = new List<int>();
        foreach (var name in names)
        {
            var lines = await File.ReadAllLinesAsync(Path.Combine(first, name));
            lines[0].ShouldStartWith("index,p0,");
            lines.Skip(1).ShouldAllBe(line => line.Split(',').Length == 66);
            indexes.AddRange(lines.Skip(1).Select(line => int.Parse(line.Split(',')[0], CultureInfo.InvariantCulture)));
        }

        indexes.ShouldBeUnique();
        indexes.ShouldAllBe(i => i % 4 != 3);
        indexes.Count.ShouldBe(Digits - ((Digits + 1) / 4));
        again.ExitCode.ShouldBe(0, again.StandardError);
        again.StandardOutput.ShouldContain($"batches present in {first}");
        again.StandardOutput.ShouldNotContain("==>");
        elsewhere.ExitCode.ShouldBe(0, elsewhere.StandardError);
        foreach (var name in names)
        {
            Hash(Path.Combine(second, name)).ShouldBe(Hash(Path.Combine(first, name)), $"{name} differs between two runs");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static string Hash(string file) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(file)));

    private static Task<BufferedCommandResult> RunAsync(params string[] arguments) =>
        Cli.Wrap("bash").WithArguments([RepositoryRoot.Combine("scripts", "demo-retrain.sh"), .. arguments])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Benchmarks.ManyActions;
using Polyarch.Invoker.Benchmarks.PushBurst;

namespace Polyarch.Invoker.Benchmarks;

/// <summary>
/// The scale rows run on their own: <c>--push-burst [--pushes 1000] [--seconds 60] [--singles 10]</c> (P10) and
/// <c>--many-actions [--actions 500] [--invocations 1000] [--concurrency 4] [--memory 32] [--memory-cap 2048]</c> (P11), each
/// with <c>--registry HOST:PORT</c>, <c>--image</c> (the no-op image) and <c>--json FILE</c>.
/// </summary>
internal static class ScaleCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var registry = Value(args, "--registry") ?? "127.0.0.1:5000";
        var image = Value(args, "--image") ?? $"{registry}/polyarch-bench/noop:latest";
        JsonObject result = args.Contains("--push-burst")
            ? await new PushBurstBenchmark(registry, image, Int(args, "--pushes", 1000), double.Parse(Value(args, "--seconds") ?? "60", CultureInfo.InvariantCulture), Int(args, "--singles", 10))
                .RunAsync(CancellationToken.None)
            : await new ManyActionsBenchmark(image, Int(args, "--actions", 500), Int(args, "--invocations", 1000), Int(args, "--concurrency", 4), Int(args, "--memory", 32), Int(args, "--memory-cap", 2048))
                .RunAsync(CancellationToken.None);
        if (Value(args, "--json") is { } file)
        {
            await File.WriteAllTextAsync(file, result.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static int Int(string[] args, string name, int fallback) =>
        int.TryParse(Value(args, name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Benchmarks;

/// <summary>p50/p99/min/max of a set of durations in milliseconds.</summary>
internal sealed record Percentiles(double P50, double P99, double Min, double Max, int Count)
{
    public static Percentiles Of(IReadOnlyCollection<double> samples)
    {
        var sorted = samples.Order().ToArray();
        return new Percentiles(At(sorted, 0.50), At(sorted, 0.99), sorted.Length == 0 ? double.NaN : sorted[0], sorted.Length == 0 ? double.NaN : sorted[^1], sorted.Length);
    }

    public override string ToString() => $"p50 {P50,8:0.000} ms  p99 {P99,8:0.000} ms  (n={Count})";

    /// <summary>The machine-readable form bench.sh aggregates (milliseconds).</summary>
    public JsonObject ToJson() => new() { ["unit"] = "ms", ["median"] = P50, ["p99"] = P99, ["min"] = Min, ["max"] = Max, ["n"] = Count };

    private static double At(double[] sorted, double q) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
}

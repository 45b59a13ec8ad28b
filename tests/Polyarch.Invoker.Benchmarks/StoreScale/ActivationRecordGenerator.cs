using System.Text.Json.Nodes;
using Polyarch.Invoker.Activations;

namespace Polyarch.Invoker.Benchmarks.StoreScale;

/// <summary>
/// Activation records of realistic sizes, reproducibly: 100 actions, 3 platforms, a params echo of 3–12 fields as the result,
/// 0–8 log lines of 40–120 characters, one in ten an application error with a longer message (≈ 1 KB of JSON on average).
/// Starts are spread evenly over <see cref="Span"/> ending at the given time, in insertion order.
/// </summary>
internal sealed class ActivationRecordGenerator(int seed, DateTimeOffset end, TimeSpan span, int total)
{
    public const int Actions = 100;

    private static readonly string[] Platforms = ["linux/amd64", "linux/arm64", "linux/ppc64le"];
    private readonly Random _random = new(seed);
    private int _next;

    /// <summary>The time span the records' starts cover (30 days: a month of activations).</summary>
    public TimeSpan Span => span;

    public static string ActionName(int index) => $"action-{index:000}";

    /// <summary>The next record in order (start times increase).</summary>
    public ActivationRecord Next()
    {
        var index = _next++;
        // The fraction first: span * index overflows TimeSpan's ticks from about 356,000 records of a 30-day span.
        var start = end - span + (span * ((double)index / total));
        var platform = Platforms[_random.Next(Platforms.Length)];
        var error = _random.Next(10) == 0;
        var parameters = new JsonObject();
        for (var i = 0; i < _random.Next(3, 13); i++)
        {
            parameters[$"field{i}"] = RandomText(_random.Next(4, 40));
        }

        var result = error
            ? new JsonObject { ["error"] = $"The action failed: {RandomText(_random.Next(80, 400))}" }
            : new JsonObject { ["arch"] = platform[(platform.IndexOf('/', StringComparison.Ordinal) + 1)..], ["params"] = parameters };
        var logs = new List<string>();
        for (var i = 0; i < _random.Next(0, 9); i++)
        {
            logs.Add($"{start.AddMilliseconds(i):O} stdout: {RandomText(_random.Next(40, 120))}");
        }

        var runMs = _random.Next(1, 400);
        return new ActivationRecord
        {
            ActivationId = $"{Convert.ToHexStringLower(BitConverter.GetBytes(_random.NextInt64()))}{index:x16}",
            Action = ActionName(_random.Next(Actions)),
            Image = "127.0.0.1:5000/demo/echo@sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe",
            IndexDigest = "sha256:125c9229f4b7b9b297d0635eacd68baf2b9c1ec3a758b26cdc19a96bdd2fcebe",
            ChildDigest = "sha256:b504126f3e8a5d2c1b8f1e0f3a9a6b2c9d7e4f1a0b3c6d9e2f5a8b1c4d7e0f3a",
            Platform = platform,
            Emulated = platform != "linux/amd64",
            Backend = "docker",
            Node = "bench",
            Cold = _random.Next(20) == 0,
            WaitMs = _random.Next(0, 5),
            InitMs = 0,
            RunMs = runMs,
            Start = start,
            End = start.AddMilliseconds(runMs),
            Status = error ? ActivationStatus.ApplicationError : ActivationStatus.Success,
            Result = result,
            Logs = logs,
        };
    }

    private string RandomText(int length)
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789 ";
        return string.Create(length, _random, (span, random) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = Alphabet[random.Next(Alphabet.Length)];
            }
        });
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Benchmarks.StoreScale;

/// <summary>
/// <c>--store sqlite,postgres [--records 1000000] [--baseline 10000] [--queries 200] [--json FILE]</c>: P9 on each provider
/// named. PostgreSQL is the container host's (the connection string in secrets/postgres.connection of the state
/// directory); each run gets a database of its own, dropped at the end.
/// </summary>
internal static class StoreScaleCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var providers = Value(args, "--store")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? ["sqlite"];
        var records = int.Parse(Value(args, "--records") ?? "1000000", System.Globalization.CultureInfo.InvariantCulture);
        var baseline = int.Parse(Value(args, "--baseline") ?? "10000", System.Globalization.CultureInfo.InvariantCulture);
        var queries = int.Parse(Value(args, "--queries") ?? "200", System.Globalization.CultureInfo.InvariantCulture);
        if (providers.Any(p => p is not ("sqlite" or "postgres")) || baseline < 1000 || records < 3 * baseline)
        {
            await Console.Error.WriteLineAsync("--store takes sqlite and/or postgres (comma-separated); --baseline at least 1000 and --records at least 3 × --baseline");
            return 2;
        }

        var connection = providers.Contains("postgres") ? await PostgresConnectionAsync() : null;
        var results = new JsonObject();
        foreach (var provider in providers)
        {
            results[provider] = await new StoreScaleBenchmark(provider, records, baseline, queries).RunAsync(connection, CancellationToken.None);
        }

        if (Value(args, "--json") is { } file)
        {
            await File.WriteAllTextAsync(file, results.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }

        return 0;
    }

    private static async Task<string> PostgresConnectionAsync()
    {
        var state = Environment.GetEnvironmentVariable("POLYARCH_STATE_DIR") is { Length: > 0 } dir ? dir
            : Environment.GetEnvironmentVariable("XDG_STATE_HOME") is { Length: > 0 } xdg ? Path.Combine(xdg, "polyarch")
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "state", "polyarch");
        var file = Path.Combine(state, "secrets", "postgres.connection");
        return File.Exists(file)
            ? (await File.ReadAllTextAsync(file)).Trim()
            : throw new InvalidOperationException($"No PostgreSQL connection string in {file}: run scripts/host.sh up (it starts PostgreSQL on 127.0.0.1:5433 and writes it).");
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}

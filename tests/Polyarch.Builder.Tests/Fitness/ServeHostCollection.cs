namespace Polyarch.Builder.Tests.Fitness;

/// <summary>
/// Tests that host `serve` itself run alone: serve's Serilog logger is the process-wide Log.Logger (AddSerilog without
/// preserveStaticLogger), so two hosts at once would write each other's log files.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServeHostCollection
{
    public const string Name = "builder serve hosts";
}

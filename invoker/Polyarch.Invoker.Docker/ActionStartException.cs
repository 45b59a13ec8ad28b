using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>A new container could not be started or initialised because of the action (not the platform).</summary>
internal sealed class ActionStartException(Outcome outcome, IReadOnlyList<string> logs, bool truncated, TimeSpan init)
    : Exception(outcome.Result?["error"]?.ToString() ?? outcome.Status)
{
    public Outcome Outcome { get; } = outcome;

    public IReadOnlyList<string> Logs { get; } = logs;

    public bool LogsTruncated { get; } = truncated;

    public TimeSpan Init { get; } = init;
}

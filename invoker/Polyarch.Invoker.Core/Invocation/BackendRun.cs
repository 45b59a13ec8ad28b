using System.Text.Json.Nodes;

namespace Polyarch.Invoker.Invocation;

/// <summary>
/// What a backend reports about one activation it ran (Node: where it ran, when the backend has several; Platform and
/// ChildDigest: the variant it ran, when it chose one of <see cref="ActivationContext.AnyOf"/>; Container: the container
/// or pod that ran it, when the backend names it; Image: the reference it pulled, when the backend reports it).
/// </summary>
internal sealed record BackendRun(
    string Status,
    JsonNode? Result,
    IReadOnlyList<string> Logs,
    bool Truncated,
    bool Cold,
    TimeSpan Wait,
    TimeSpan Init,
    TimeSpan Run,
    string? Node = null,
    string? Platform = null,
    string? ChildDigest = null,
    string? Container = null,
    string? Image = null);

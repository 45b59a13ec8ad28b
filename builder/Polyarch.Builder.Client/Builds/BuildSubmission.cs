namespace Polyarch.Builder.Builds;

/// <summary>
/// What a person asks to build, before the source is resolved: the <c>build</c> verb's input, and the body of
/// <c>POST /v1/builds</c> (a CLI hands its build to a running service with it).
/// </summary>
/// <param name="Source">A git repository: absolute local path, file://, https://, git:// or ssh URL.</param>
/// <param name="Ref">Branch or tag (default: the remote's default branch).</param>
/// <param name="Commit">Exact commit instead of a ref.</param>
/// <param name="Platforms">Platforms (default: Builder:Platforms).</param>
/// <param name="Registry">Registry host:port (default: Builder:Registry).</param>
/// <param name="Repository">Registry repository (default: the source's name).</param>
/// <param name="Trigger">What the record names as its trigger: <c>api</c> (default) or <c>cli</c> (a CLI handed its build over).</param>
public sealed record BuildSubmission(
    string Source,
    string? Ref = null,
    string? Commit = null,
    IReadOnlyList<string>? Platforms = null,
    string? Registry = null,
    string? Repository = null,
    string? Trigger = null);

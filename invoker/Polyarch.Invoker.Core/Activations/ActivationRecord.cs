using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Polyarch.Invoker.Activations;

/// <summary>What happened in one activation (conventions.md; OpenWhisk's field names where they exist).</summary>
public sealed record ActivationRecord
{
    public required string ActivationId { get; init; }

    public required string Action { get; init; }

    public required string Image { get; init; }

    public string? IndexDigest { get; init; }

    public string? ChildDigest { get; init; }

    public string? Platform { get; init; }

    public bool Emulated { get; init; }

    public required string Backend { get; init; }

    public string? Node { get; init; }

    public bool Cold { get; init; }

    public long WaitMs { get; init; }

    public long InitMs { get; init; }

    public long RunMs { get; init; }

    public DateTimeOffset Start { get; init; }

    public DateTimeOffset End { get; init; }

    public required string Status { get; init; }

    public JsonNode? Result { get; init; }

    public IReadOnlyList<string> Logs { get; init; } = [];

    public bool Truncated { get; init; }

    /// <summary>
    /// The files the action returned under <c>"polyarch:files"</c> (taken out of <see cref="Result"/>): a workflow step
    /// stores them as its OCI artifact; the record keeps only their names and sizes in <see cref="Logs"/>.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<ActivationFile> Files { get; init; } = [];

    [JsonIgnore]
    public bool IsSuccess => Status == ActivationStatus.Success;
}

using System.Text.Json.Serialization;

namespace Polyarch.Registry.Manifests;

/// <summary>The "config" object inside an image config (Docker's field names). Not compared by value.</summary>
public sealed record ContainerConfig
{
    /// <summary>Image labels, e.g. io.polyarch.requires.gpu.</summary>
    [JsonPropertyName("Labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>The entrypoint.</summary>
    [JsonPropertyName("Entrypoint")]
    public IReadOnlyList<string>? Entrypoint { get; init; }

    /// <summary>The default arguments.</summary>
    [JsonPropertyName("Cmd")]
    public IReadOnlyList<string>? Cmd { get; init; }

    /// <summary>The environment, as NAME=value.</summary>
    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    /// <summary>The working directory.</summary>
    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }

    /// <summary>The user the process runs as.</summary>
    [JsonPropertyName("User")]
    public string? User { get; init; }
}

using System.Text.Json;
using System.Text.Json.Serialization;

namespace Polyarch.Builder.Manifests;

/// <summary>`manifest inspect --output json`: the index (or manifest) and every entry.</summary>
internal sealed record InspectOutput(string Reference, string Digest, string MediaType, long Size, IReadOnlyList<InspectEntry> Manifests, IReadOnlyDictionary<string, string>? Annotations);

/// <summary>One entry of an index; Kind is image, attestation or other.</summary>
internal sealed record InspectEntry(string Platform, string Digest, long Size, string MediaType, bool Runnable, string Kind);

/// <summary>`manifest create|append --output json`: the index written.</summary>
internal sealed record AssembleOutput(string Reference, string Digest, string MediaType, long Size, IReadOnlyList<AssembleChild> Children);

/// <summary>One child of a written index and where it came from.</summary>
internal sealed record AssembleChild(string Platform, string Digest, long Size, string MediaType, string Source);

/// <summary>The machine-readable error object (stdout with --output json; the message also goes to stderr).</summary>
internal sealed record ErrorOutput(ErrorDetail Error);

/// <summary>What failed and the exit code it maps to.</summary>
internal sealed record ErrorDetail(string Type, string Message, int ExitCode);

[JsonSerializable(typeof(InspectOutput))]
[JsonSerializable(typeof(AssembleOutput))]
[JsonSerializable(typeof(ErrorOutput))]
internal sealed partial class ManifestOutputJsonContext : JsonSerializerContext
{
    /// <summary>camelCase, indented, '+' in media types left as is (stdout is not HTML).</summary>
    public static ManifestOutputJsonContext Output { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}

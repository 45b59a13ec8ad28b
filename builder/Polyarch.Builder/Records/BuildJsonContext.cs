using System.Text.Json;
using System.Text.Json.Serialization;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Client;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Records;

/// <summary>
/// Source-generated metadata for what the CLI and the service exchange (submission, answer, events, records, serve.json), so
/// a one-shot CLI does not build it by reflection and emitted IL on first use (issue 18, P4). The wire format is
/// <see cref="BuildJson.Options"/>': it resolves these types here and everything else by reflection, with its own naming
/// policy and converters — the options given at run time, not these defaults, shape the JSON.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BuildSubmission))]
[JsonSerializable(typeof(BuilderServiceClient.SubmitAnswer))]
[JsonSerializable(typeof(BuilderServiceClient.BuildEvent))]
[JsonSerializable(typeof(BuildRecord))]
[JsonSerializable(typeof(List<BuildRecord>))]
[JsonSerializable(typeof(ServiceEndpointRecord))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Client;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Records;

/// <summary>
/// Source-generated metadata for what the CLI and the service exchange (submission, answer, events, records, serve.json) and
/// for the build verb's report, so a one-shot CLI builds none of it by reflection (issue 18, P4) and the Native AOT hand-off
/// (polyarch-builder-manifest) can use it at all. <c>Default.Options</c> is the wire format: camelCase, nulls left out, enums
/// as camelCase strings.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(BuildStatusJsonConverter)])]
[JsonSerializable(typeof(BuildSubmission))]
[JsonSerializable(typeof(BuilderServiceClient.SubmitAnswer))]
[JsonSerializable(typeof(BuilderServiceClient.BuildEvent))]
[JsonSerializable(typeof(BuildRecord))]
[JsonSerializable(typeof(List<BuildRecord>))]
[JsonSerializable(typeof(ServiceEndpointRecord))]
[JsonSerializable(typeof(BuildReportDocument))]
[JsonSerializable(typeof(ErrorDocument))]
internal sealed partial class BuildJsonContext : JsonSerializerContext;

using System.Text.Json;
using System.Text.Json.Serialization;
using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Records;

/// <summary><see cref="BuildStatus"/> as a camelCase string (<c>"succeeded"</c>), without reflection: the generated context's converter.</summary>
internal sealed class BuildStatusJsonConverter() : JsonStringEnumConverter<BuildStatus>(JsonNamingPolicy.CamelCase);

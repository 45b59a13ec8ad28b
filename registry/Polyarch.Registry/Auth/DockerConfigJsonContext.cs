using System.Text.Json.Serialization;

namespace Polyarch.Registry.Auth;

/// <summary>Source-generated JSON for the Docker config file and the credential-helper protocol.</summary>
[JsonSerializable(typeof(DockerConfigFile))]
[JsonSerializable(typeof(CredentialHelperAnswer))]
internal sealed partial class DockerConfigJsonContext : JsonSerializerContext;

using Polyarch.Builder.Definition;

namespace Polyarch.Builder.Buildx;

/// <summary>Everything one <c>docker buildx bake</c> run needs.</summary>
public sealed record BakeInvocation(
    BuildDefinition Definition,
    string Registry,
    IReadOnlyList<string> Platforms,
    string StagingTag,
    string SourceUrl,
    string Revision,
    DateTimeOffset Created,
    string MetadataFile,
    string? BuilderName,
    bool UseCache = true);

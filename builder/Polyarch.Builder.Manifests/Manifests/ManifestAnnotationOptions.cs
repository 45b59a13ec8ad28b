using System.CommandLine;
using Polyarch.Registry.Indexes;

namespace Polyarch.Builder.Manifests;

/// <summary>--created/--source-url/--revision: the OCI annotations of a written index.</summary>
internal sealed class ManifestAnnotationOptions
{
    public Option<DateTimeOffset?> Created { get; } = new("--created") { Description = "org.opencontainers.image.created (RFC 3339)" };

    public Option<string?> SourceUrl { get; } = new("--source-url") { Description = "org.opencontainers.image.source (the git URL)" };

    public Option<string?> Revision { get; } = new("--revision") { Description = "org.opencontainers.image.revision (the commit)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Created);
        command.Options.Add(SourceUrl);
        command.Options.Add(Revision);
    }

    public IndexAnnotations Read(ParseResult parseResult) =>
        new(parseResult.GetValue(Created), parseResult.GetValue(SourceUrl), parseResult.GetValue(Revision));
}

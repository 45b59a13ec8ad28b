using System.CommandLine;
using Polyarch.Builder.Hosting.Logging;

namespace Polyarch.Builder.Manifests;

/// <summary>The command line of polyarch-builder-manifest: `manifest …` and the global options, as polyarch-builder has them.</summary>
internal static class ManifestCommandLine
{
    public static RootCommand Create() =>
        new("polyarch-builder manifest: inspect and assemble multi-platform image indexes (the ahead-of-time build of these verbs)")
        {
            ManifestCommand.Create(),
            CliLogging.VerboseOption(),
            CliLogging.LogFormatOption(),
        };
}

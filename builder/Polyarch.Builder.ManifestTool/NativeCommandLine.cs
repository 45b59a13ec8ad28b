using System.CommandLine;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Hosting.Logging;
using Polyarch.Builder.Manifests;

namespace Polyarch.Builder;

/// <summary>The command line of polyarch-builder-manifest: `manifest …`, `build` and the global options, as polyarch-builder has them.</summary>
internal static class NativeCommandLine
{
    public static RootCommand Create(Func<BuildCommandInput, bool, bool, CancellationToken, Task<int>> handBack) =>
        new("polyarch-builder: the one-shot verbs compiled ahead of time (manifest; build handed to a running service)")
        {
            BuildCommand.Create(handBack),
            ManifestCommand.Create(),
            CliLogging.VerboseOption(),
            CliLogging.LogFormatOption(),
        };
}

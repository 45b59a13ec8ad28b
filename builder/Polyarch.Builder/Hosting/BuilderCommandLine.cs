using System.CommandLine;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Manifests;
using Polyarch.Builder.Registries;

namespace Polyarch.Builder.Hosting;

/// <summary>The verbs of polyarch-builder.</summary>
internal static class BuilderCommandLine
{
    public static RootCommand Create() =>
        new("polyarch-builder: git push → multi-arch buildx build → one verified OCI index in your registry")
        {
            ServeCommand.Create(),
            BuildCommand.Create(InProcessBuild.RunAsync),
            BuildsCommand.Create(),
            ManifestCommand.Create(),
            RegistryCommand.Create(),
            CompletionCommand.Create(),
            Logging.CliLogging.VerboseOption(),
            Logging.CliLogging.LogFormatOption(),
        };
}

using System.CommandLine;
using Polyarch.Invoker.Hosting.Cli;

namespace Polyarch.Invoker.Hosting;

/// <summary>The verbs of polyarch-invoker.</summary>
internal static class InvokerCommandLine
{
    public static RootCommand Create() =>
        new("polyarch-invoker: run multi-arch functions on the right architecture, warm, with activation records")
        {
            ServeCommand.Create(),
            InvokeCommand.Create(),
            PlatformsCommand.Create(),
            ActionsCommand.Create(),
            ActivationsCommand.Create(),
            RulesCommand.Create(),
            ArtifactsCommand.Create(),
            CompletionCommand.Create(),
            WorkflowsCommand.Create(),
            Logging.CliLogging.VerboseOption(),
            Logging.CliLogging.LogFormatOption(),
        };
}

using System.CommandLine;
using Polyarch.Builder.Hosting.Logging;

namespace Polyarch.Builder.Cli;

/// <summary>
/// <c>polyarch-builder builds list|get|logs|cancel</c>: asks the running service (<c>--url</c>, <c>POLYARCH_BUILDER_URL</c>, or
/// the <c>serve</c> of this state directory); without one, list/get/logs read the local store.
/// </summary>
internal static class BuildsCommand
{
    public static Command Create()
    {
        var limit = new Option<int>("--limit") { Description = "How many builds, newest first (1–500)", DefaultValueFactory = _ => 50 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 500)
            {
                result.AddError("--limit must be between 1 and 500.");
            }
        });
        var list = Verb("list", "List builds, newest first", BuildsVerb.List, limit);
        var get = Verb("get", "Show one build: status, commit, images and digests, error", BuildsVerb.Get, Id());
        var platform = new Option<string?>("--platform") { Description = "Only this platform's log (e.g. linux/arm64)" };
        var logs = Verb("logs", "Print a build's per-platform logs", BuildsVerb.Logs, Id(), platform);
        var cancel = Verb("cancel", "Cancel a queued or running build (needs the service: it kills the bake and records cancelled)", BuildsVerb.Cancel, Id());
        return new Command("builds", "Builds of the running service, or of the local store when none runs") { list, get, logs, cancel };
    }

    private static Argument<string> Id() => new("ID") { Description = "The build id (builds list shows them)" };

    private static Command Verb(string name, string description, BuildsVerb verb, params Symbol[] symbols)
    {
        var output = OutputOption.Create();
        var url = ServiceOptions.Url();
        var apiKeyFile = ServiceOptions.ApiKeyFile();
        var command = new Command(name, description) { output, url, apiKeyFile };
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Argument argument:
                    command.Arguments.Add(argument);
                    break;
                case Option option:
                    command.Options.Add(option);
                    break;
            }
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var request = new BuildsRequest(
                verb,
                symbols.OfType<Argument<string>>().Select(parse.GetValue).FirstOrDefault(),
                symbols.OfType<Option<int>>().Select(parse.GetValue).FirstOrDefault(),
                symbols.OfType<Option<string?>>().Select(parse.GetValue).FirstOrDefault(),
                parse.GetValue(url),
                parse.GetValue(apiKeyFile),
                OutputOption.Parse(parse.GetValue(output)),
                parse.GetValue<bool>(CliLogging.VerboseName));
            return await BuildsCli.RunAsync(request, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}

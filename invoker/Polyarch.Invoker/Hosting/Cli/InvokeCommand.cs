using System.CommandLine;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Hosting.Client;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker invoke IMAGE_OR_ACTION`: one activation, or one per platform with --all-platforms.</summary>
internal static class InvokeCommand
{
    public static Command Create()
    {
        var target = new Argument<string>("IMAGE_OR_ACTION") { Description = "An action name or an image reference (127.0.0.1:5000/demo/echo:latest)" };
        var platform = new Option<string?>("--platform") { Description = "Run the variant for os/arch[/variant], e.g. linux/arm64" };
        var all = new Option<bool>("--all-platforms") { Description = "Run every platform the image has, concurrently, and report each" };
        var param = new Option<string[]>("--param", "-p") { Description = "A param key=value (value as JSON if it parses); repeatable", AllowMultipleArgumentsPerToken = false };
        var paramsFile = new Option<string?>("--params-file") { Description = "A file with a JSON object of params" };
        var output = CliOptions.Output();
        var backend = BackendOption.Create();
        var context = BackendOption.CreateContext();
        var dryRun = new Option<bool>("--dry-run") { Description = "With --backend kubernetes: print the pod it would create (--output yaml|json), create nothing" };
        var command = ClientOptions.AddTo(new Command("invoke", "Invoke an action or image and print its activation record") { target, platform, all, param, paramsFile, output, backend, context, dryRun });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(
            parseResult,
            async (api, format) =>
            {
                if (parseResult.GetValue(all) && parseResult.GetValue(platform) is not null)
                {
                    throw new FormatException("--platform and --all-platforms exclude each other: use one.");
                }

                var parameters = ParamsParser.Parse(parseResult.GetValue(param) ?? [], parseResult.GetValue(paramsFile));
                if (parseResult.GetValue(dryRun))
                {
                    // A plan of this machine's Kubernetes backend (--backend kubernetes, which a service does not take).
                    var services = (api as LocalInvokerApi)?.Services
                        ?? throw new FormatException("--dry-run plans the pod this machine's Kubernetes backend would create: leave out --url.");
                    return await KubernetesDryRunCommand.PrintAsync(services, parseResult.GetValue(backend), parseResult.GetValue(target)!, parameters, parseResult.GetValue(platform), parseResult.GetValue(output), cancellationToken);
                }

                var request = new InvocationRequest(parseResult.GetValue(target)!, parameters, parseResult.GetValue(platform));
                if (parseResult.GetValue(all))
                {
                    var results = await api.InvokeAllPlatformsAsync(request, cancellationToken);
                    Print(results, format);
                    return results.Count > 0 && results.All(r => r.IsSuccess) ? ExitCodes.Success : ExitCodes.Failed;
                }

                var record = await api.InvokeAsync(request, cancellationToken);
                Print(record, format);
                return ExitCodes.For(record);
            },
            BackendOption.Overrides(parseResult.GetValue(backend), parseResult.GetValue(context)),
            ownInstance: true));
        return command;
    }

    private static void Print(ActivationRecord record, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(Console.Out, record, format);
            return;
        }

        Console.WriteLine(Summary(record));
        Console.WriteLine(record.Result?.ToJsonString() ?? "null");
    }

    private static void Print(IReadOnlyList<FanOutResult> results, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(Console.Out, results, format);
            return;
        }
        foreach (var result in results)
        {
            Console.WriteLine(result.Activation is { } record
                ? $"{result.Platform,-16} {Summary(record)} {record.Result?.ToJsonString()}"
                : $"{result.Platform,-16} not placed: {result.Error}");
        }
    }

    internal static string Summary(ActivationRecord record) =>
        $"{record.ActivationId} {record.Status} on {record.Platform}{(record.Emulated ? " (emulated)" : "")} " +
        $"{(record.Cold ? "cold" : "warm")} wait={record.WaitMs}ms init={record.InitMs}ms run={record.RunMs}ms";
}

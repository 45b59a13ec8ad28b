using System.CommandLine;
using System.Text.Json;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Json;

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
        var dryRun = new Option<bool>("--dry-run") { Description = "With --backend kubernetes: print the pod it would create (--output yaml|json), create nothing" };
        var command = new Command("invoke", "Invoke an action or image and print its activation record") { target, platform, all, param, paramsFile, output, backend, dryRun };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            if (parseResult.GetValue(all) && parseResult.GetValue(platform) is not null)
            {
                return await CliErrors.ReportAsync(new FormatException("--platform and --all-platforms exclude each other: use one."), json);
            }

            var services = CliHost.CreateForInvoke(BackendOption.Overrides(parseResult.GetValue(backend)));
            try
            {
                var parameters = ParamsParser.Parse(parseResult.GetValue(param) ?? [], parseResult.GetValue(paramsFile));
                if (parseResult.GetValue(dryRun))
                {
                    return await KubernetesDryRunCommand.PrintAsync(services, parseResult.GetValue(backend), parseResult.GetValue(target)!, parameters, parseResult.GetValue(platform), parseResult.GetValue(output), cancellationToken);
                }

                var invoker = services.GetRequiredService<ActionInvoker>();
                var request = new InvocationRequest(parseResult.GetValue(target)!, parameters, parseResult.GetValue(platform));
                if (parseResult.GetValue(all))
                {
                    var results = await invoker.InvokeAllPlatformsAsync(request, cancellationToken);
                    Print(results, json);
                    return results.Count > 0 && results.All(r => r.IsSuccess) ? ExitCodes.Success : ExitCodes.Failed;
                }

                var record = await invoker.InvokeAsync(request, cancellationToken);
                Print(record, json);
                return ExitCodes.For(record);
            }
            catch (Exception exception) when (CliErrors.IsReportable(exception))
            {
                return await CliErrors.ReportAsync(exception, json);
            }
            finally
            {
                await CliHost.CleanUpAsync(services);
            }
        });
        return command;
    }

    private static void Print(ActivationRecord record, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(record, InvokerJson.Indented));
            return;
        }

        Console.WriteLine(Summary(record));
        Console.WriteLine(record.Result?.ToJsonString() ?? "null");
    }

    private static void Print(IReadOnlyList<FanOutResult> results, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(results, InvokerJson.Indented));
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

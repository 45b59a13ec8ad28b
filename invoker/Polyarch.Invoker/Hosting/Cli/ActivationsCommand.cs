using System.CommandLine;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Hosting.Client;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker activations list|get`, on the local state or a service (--url).</summary>
internal static class ActivationsCommand
{
    public static Command Create() => new("activations", "Read activation records") { ListVerb(), GetVerb() };

    private static Command ListVerb()
    {
        var action = new Option<string?>("--action") { Description = "Only this action's activations" };
        var limit = new Option<int>("--limit") { Description = "How many, newest first", DefaultValueFactory = _ => 30 };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("list", "List recent activations, newest first") { action, limit, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var records = await api.ListActivationsAsync(parseResult.GetValue(action), parseResult.GetValue(limit), cancellationToken);
            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, records, format);
                return ExitCodes.Success;
            }

            foreach (var record in records)
            {
                Console.WriteLine($"{record.Start:u} {record.Action} {InvokeCommand.Summary(record)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command GetVerb()
    {
        var id = new Argument<string>("ACTIVATION_ID") { Description = "The activation's id" };
        // `activations get` always printed the record as JSON: that stays its default.
        var output = CliOptions.Output(defaultValue: "json");
        var command = ClientOptions.AddTo(new Command("get", "Print one activation record (JSON unless --output says otherwise)") { id, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var activationId = parseResult.GetValue(id)!;
            if (!ActivationId.IsValid(activationId))
            {
                throw new FormatException($"'{activationId}' is not an activation id (32 hex characters, see `polyarch-invoker activations list`).");
            }

            switch (await api.GetActivationAsync(activationId, cancellationToken))
            {
                case null:
                    return await CliErrors.NotFoundAsync($"there is no activation {activationId}: it was never accepted (see `polyarch-invoker activations list`).", format);
                case { Record: { } record } when format == OutputFormat.Table:
                    Console.WriteLine($"{record.Start:u} {record.Action} {InvokeCommand.Summary(record)}");
                    Console.WriteLine(record.Result?.ToJsonString() ?? "null");
                    break;
                case { Record: { } record }:
                    StructuredOutput.Write(Console.Out, record, format);
                    break;
                case { Waiting: { } waiting } when format == OutputFormat.Table:
                    Console.WriteLine($"{activationId} {waiting["status"]} (accepted {waiting["accepted"]}, no record yet)");
                    break;
                case { Waiting: { } waiting }:
                    StructuredOutput.Write(Console.Out, waiting, format);
                    break;
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}

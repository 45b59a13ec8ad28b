using System.CommandLine;
using System.Text.Json;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Json;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker activations list|get`.</summary>
internal static class ActivationsCommand
{
    public static Command Create() => new("activations", "Read activation records") { ListVerb(), GetVerb() };

    private static Command ListVerb()
    {
        var action = new Option<string?>("--action") { Description = "Only this action's activations" };
        var limit = new Option<int>("--limit") { Description = "How many, newest first", DefaultValueFactory = _ => 30 };
        var output = CliOptions.Output();
        var command = new Command("list", "List recent activations, newest first") { action, limit, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = CliHost.Create();
            var records = await services.GetRequiredService<IActivationStore>().ListAsync(parseResult.GetValue(action), parseResult.GetValue(limit), cancellationToken);
            if (CliOptions.IsJson(parseResult.GetValue(output)))
            {
                Console.WriteLine(JsonSerializer.Serialize(records, InvokerJson.Indented));
            }
            else
            {
                foreach (var record in records)
                {
                    Console.WriteLine($"{record.Start:u} {record.Action} {InvokeCommand.Summary(record)}");
                }
            }

            return 0;
        });
        return command;
    }

    private static Command GetVerb()
    {
        var id = new Argument<string>("ACTIVATION_ID") { Description = "The activation's id" };
        var command = new Command("get", "Print one activation record as JSON") { id };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var activationId = parseResult.GetValue(id)!;
            if (!ActivationId.IsValid(activationId))
            {
                await Console.Error.WriteLineAsync($"error: '{activationId}' is not an activation id (32 hex characters, see `polyarch-invoker activations list`).");
                return ExitCodes.InvalidInput;
            }

            await using var services = CliHost.Create();
            // The accepted row first, as GET /v1/activations/{id} reads them: a record is stored before its row leaves.
            var waiting = await services.GetRequiredService<AcceptedActivationStore>().GetAsync(activationId, cancellationToken);
            var record = await services.GetRequiredService<IActivationStore>().GetAsync(activationId, cancellationToken);
            if (record is null && waiting is not null)
            {
                Console.WriteLine(JsonSerializer.Serialize(new { activationId, action = waiting.Target, status = waiting.State, accepted = waiting.Accepted }, InvokerJson.Indented));
                return 0;
            }

            if (record is null)
            {
                await Console.Error.WriteLineAsync($"error: there is no activation {activationId}: it was never accepted (see `polyarch-invoker activations list`).");
                return ExitCodes.Failed;
            }

            Console.WriteLine(JsonSerializer.Serialize(record, InvokerJson.Indented));
            return 0;
        });
        return command;
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Hosting.Client;
using Polyarch.Invoker.Rules;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker rules create|list|get|delete`, on the local state or a service (--url).</summary>
internal static class RulesCommand
{
    public static Command Create() => new("rules", "Manage rules: image pushes, artifact pushes or schedules that run an action (or the pushed image) or start a workflow") { CreateVerb(), ListVerb(), GetVerb(), DeleteVerb() };

    private static Command CreateVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The rule's name" };
        var repository = new Option<string?>("--repository") { Description = "Repository or glob whose pushes fire the rule: demo/echo, demo/*, 127.0.0.1:5000/demo/** (required unless --schedule)" };
        var tag = new Option<string>("--tag") { Description = "Tag or glob (default *)", DefaultValueFactory = _ => "*" };
        var action = new Option<string?>("--action") { Description = "Action to run (default: the pushed image itself, by digest)" };
        var workflow = new Option<string?>("--workflow") { Description = "Workflow to start instead of an action (its run gets the trigger)" };
        var artifactType = new Option<string?>("--artifact-type") { Description = "Fire on pushes of OCI artifacts of this type (e.g. application/vnd.polyarch.dataset.v1) instead of images" };
        var schedule = new Option<string?>("--schedule") { Description = "Fire on a cron schedule instead of pushes: '*/5 * * * *' (five fields, or six with seconds first); no --repository" };
        var timeZone = new Option<string?>("--time-zone") { Description = "Time zone of --schedule (IANA id such as Europe/Berlin; default UTC)" };
        var platforms = new Option<string>("--platforms") { Description = "all, native, or a comma-separated list (each required)", DefaultValueFactory = _ => RuleDefinition.AllPlatforms };
        var param = new Option<string[]>("--param", "-p") { Description = "KEY=VALUE param (VALUE may be JSON); repeatable" };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("create", "Create or replace a rule") { name, repository, tag, action, workflow, artifactType, schedule, timeZone, platforms, param, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var rule = await api.PutRuleAsync(
                new RuleDefinition
                {
                    Name = parseResult.GetValue(name)!,
                    Repository = parseResult.GetValue(repository),
                    Tag = parseResult.GetValue(tag)!,
                    Action = parseResult.GetValue(action),
                    Workflow = parseResult.GetValue(workflow),
                    ArtifactType = parseResult.GetValue(artifactType),
                    Schedule = parseResult.GetValue(schedule),
                    TimeZone = parseResult.GetValue(timeZone),
                    Params = ParseParams(parseResult.GetValue(param) ?? []),
                    Platforms = [.. parseResult.GetValue(platforms)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)],
                },
                cancellationToken);
            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, rule, format);
            }
            else
            {
                Console.WriteLine($"ok: rule {rule.Name}: {Describe(rule)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListVerb()
    {
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("list", "List rules") { output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var rules = await api.ListRulesAsync(cancellationToken);
            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, rules, format);
                return ExitCodes.Success;
            }

            foreach (var rule in rules)
            {
                Console.WriteLine($"{rule.Name,-24} {Describe(rule)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command GetVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The rule's name" };
        // `rules get` always printed the rule as JSON: that stays its default.
        var output = CliOptions.Output(defaultValue: "json");
        var command = ClientOptions.AddTo(new Command("get", "Show a rule (JSON unless --output says otherwise)") { name, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var ruleName = parseResult.GetValue(name)!;
            if (await api.GetRuleAsync(ruleName, cancellationToken) is not { } rule)
            {
                return await CliErrors.NotFoundAsync($"there is no rule '{ruleName}' (see `polyarch-invoker rules list`).", format);
            }

            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, rule, format);
            }
            else
            {
                Console.WriteLine($"{rule.Name,-24} {rule.Repository}:{rule.Tag} → {rule.Action ?? "(pushed image)"} on {string.Join(",", rule.Platforms)}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command DeleteVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The rule's name" };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("delete", "Delete a rule") { name, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var ruleName = parseResult.GetValue(name)!;
            if (!await api.DeleteRuleAsync(ruleName, cancellationToken))
            {
                return await CliErrors.NotFoundAsync($"there is no rule '{ruleName}' (see `polyarch-invoker rules list`).", format);
            }

            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, new { rule = ruleName, deleted = true }, format);
            }
            else
            {
                Console.WriteLine($"ok: deleted rule {ruleName}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>One line for people: what fires the rule and what it runs.</summary>
    internal static string Describe(RuleDefinition rule)
    {
        var on = rule.Event switch
        {
            RuleDefinition.ScheduleEvent => $"schedule '{rule.Schedule}' ({rule.TimeZone ?? "UTC"})",
            RuleDefinition.ArtifactEvent => $"artifact push ({rule.ArtifactType}) of {rule.Repository}:{rule.Tag}",
            _ => $"push of {rule.Repository}:{rule.Tag}",
        };
        var where = rule.Workflow is null ? $" on {string.Join(",", rule.Platforms)}" : "";
        return $"{on} → {rule.Runs}{where}";
    }

    private static JsonObject? ParseParams(string[] pairs)
    {
        if (pairs.Length == 0)
        {
            return null;
        }

        var parameters = new JsonObject();
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new FormatException($"--param {pair} is not KEY=VALUE.");
            }

            var value = pair[(equals + 1)..];
            JsonNode? node;
            try
            {
                node = JsonNode.Parse(value);
            }
            catch (JsonException)
            {
                node = JsonValue.Create(value);
            }

            parameters[pair[..equals]] = node;
        }

        return parameters;
    }
}

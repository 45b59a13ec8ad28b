using System.CommandLine;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Hosting.Client;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker workflows create|get|list|delete|run` and `workflows runs list|get|cancel`, on the local state or a service (--url).</summary>
internal static class WorkflowsCommand
{
    public static Command Create() => new("workflows", "Manage workflows (steps in a DAG whose files are OCI artifacts) and their runs")
    {
        CreateVerb(), GetVerb(), ListVerb(), DeleteVerb(), RunVerb(),
        new Command("runs", "Read and cancel workflow runs") { RunsListVerb(), RunsGetVerb(), RunsCancelVerb() },
    };

    private static Command CreateVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The workflow's name (wins over the file's name:)" };
        var file = new Option<FileInfo>("--file", "-f") { Description = "The definition, YAML or JSON (see invoker/README.md \"Workflows\"); read here, also with --url", Required = true };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("create", "Create or replace a workflow from a YAML or JSON file") { name, file, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
            {
                throw new FormatException($"--file {path.FullName} does not exist; write the definition there first");
            }

            // Read on this side in both cases, so a syntax error names the file (a service validates what it would run).
            var workflow = WorkflowDefinitionReader.Read(await File.ReadAllTextAsync(path.FullName, cancellationToken), parseResult.GetValue(name), path.FullName);
            workflow = await api.PutWorkflowAsync(workflow, cancellationToken);
            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, workflow, format);
            }
            else
            {
                Console.WriteLine($"ok: workflow {workflow.Name}: {workflow.Steps.Count} steps ({string.Join(", ", workflow.Steps.Select(s => s.Name))})");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command GetVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The workflow's name" };
        // `workflows get` always printed the definition as JSON: that stays its default.
        var output = CliOptions.Output(defaultValue: "json");
        var command = ClientOptions.AddTo(new Command("get", "Show a workflow's definition (JSON unless --output says otherwise)") { name, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var workflowName = parseResult.GetValue(name)!;
            var workflow = await api.GetWorkflowAsync(workflowName, cancellationToken) ?? throw new WorkflowNotFoundException(workflowName);
            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, workflow, format);
                return ExitCodes.Success;
            }

            Console.WriteLine($"workflow {workflow.Name}{(workflow.Results is null ? "" : $" → {workflow.Results}")}");
            foreach (var step in workflow.Steps)
            {
                var needs = step.Needs.Count == 0 ? "" : $" after {string.Join(", ", step.Needs)}";
                Console.WriteLine($"  {step.Name,-16} {step.Action ?? "(tag)"} on {step.Platforms?.ToJsonString() ?? "(placed)"}{needs}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command ListVerb()
    {
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("list", "List workflows") { output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var workflows = await api.ListWorkflowsAsync(cancellationToken);
            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, workflows, format);
                return ExitCodes.Success;
            }

            foreach (var workflow in workflows)
            {
                Console.WriteLine($"{workflow.Name,-24} {string.Join(" → ", workflow.Steps.Select(s => s.Name))}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command DeleteVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The workflow's name" };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("delete", "Delete a workflow (its runs are kept)") { name, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var workflowName = parseResult.GetValue(name)!;
            if (!await api.DeleteWorkflowAsync(workflowName, cancellationToken))
            {
                throw new WorkflowNotFoundException(workflowName);
            }

            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, new JsonObject { ["deleted"] = workflowName }, format);
            }
            else
            {
                Console.WriteLine($"ok: deleted workflow {workflowName}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RunVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The workflow to run" };
        var param = new Option<string[]>("--param", "-p") { Description = "KEY=VALUE run param (VALUE may be JSON); repeatable" };
        var wait = new Option<bool>("--wait")
        {
            Description = "Wait for the run's end and print its record (local state: this process drives the run; --url: the service drives it, Ctrl-C only stops waiting)",
        };
        var idempotencyKey = new Option<string?>("--idempotency-key")
        {
            Description = "Start at most one run for this key: the same key again answers the first run (e.g. a CI job's id, so a retried job does not run the workflow twice)",
        };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("run", "Start a run of a workflow") { name, param, wait, idempotencyKey, output });
        command.SetAction((parseResult, cancellationToken) =>
        {
            var waiting = parseResult.GetValue(wait);
            return InvokerVerb.RunAsync(
                parseResult,
                async (api, format) =>
                {
                    var parameters = ParamsParser.Parse(parseResult.GetValue(param) ?? [], null);
                    var key = parseResult.GetValue(idempotencyKey);
                    if (key is not null && IdempotencyKeys.Problem(key, "--idempotency-key") is { } problem)
                    {
                        throw new FormatException(problem);
                    }

                    var start = await api.StartWorkflowRunAsync(parseResult.GetValue(name)!, parameters, waiting, key, cancellationToken);
                    if (!waiting)
                    {
                        if (format != OutputFormat.Table)
                        {
                            StructuredOutput.Write(Console.Out, new JsonObject { ["runId"] = start.RunId, ["status"] = start.Status, ["created"] = start.Created }, format);
                        }
                        else if (!start.Created)
                        {
                            Console.WriteLine($"ok: run {start.RunId} was started before with this idempotency key ({start.Status}); no new run (see `workflows runs get {start.RunId}`)");
                        }
                        else
                        {
                            Console.WriteLine(start.Status == WorkflowRunStatus.Pending
                                ? $"ok: run {start.RunId} stored; a running `polyarch-invoker serve` takes it up (see `workflows runs get {start.RunId}`)"
                                : $"ok: run {start.RunId} running on {api.Source} (see `workflows runs get {start.RunId}`)");
                        }

                        return ExitCodes.Success;
                    }

                    var run = await api.WaitForWorkflowRunAsync(start.RunId, cancellationToken);
                    Print(run, format);
                    return run.Status == WorkflowRunStatus.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
                },
                ownInstance: waiting);
        });
        return command;
    }

    private static Command RunsListVerb()
    {
        var workflow = new Option<string?>("--workflow") { Description = "Only this workflow's runs" };
        var limit = new Option<int>("--limit") { Description = "How many, newest first", DefaultValueFactory = _ => 30 };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("list", "List runs, newest first") { workflow, limit, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var runs = await api.ListWorkflowRunsAsync(parseResult.GetValue(workflow), Math.Clamp(parseResult.GetValue(limit), 1, 1000), cancellationToken);
            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, runs, format);
                return ExitCodes.Success;
            }

            foreach (var run in runs)
            {
                Console.WriteLine($"{run.Id}  {run.Workflow,-20} {run.Status,-10} {run.StartedAt:u}  {run.Reason}");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RunsGetVerb()
    {
        var id = new Argument<string>("RUN") { Description = "The run's id" };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("get", "Show a run: its steps, platforms, activations and artifacts") { id, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var runId = parseResult.GetValue(id)!;
            Print(await api.GetWorkflowRunAsync(runId, cancellationToken) ?? throw new WorkflowRunNotFoundException(runId), format);
            return ExitCodes.Success;
        }));
        return command;
    }

    private static Command RunsCancelVerb()
    {
        var id = new Argument<string>("RUN") { Description = "The run's id" };
        var output = CliOptions.Output();
        var command = ClientOptions.AddTo(new Command("cancel", "Cancel a run: no step starts any more, running steps are cancelled") { id, output });
        command.SetAction((parseResult, cancellationToken) => InvokerVerb.RunAsync(parseResult, async (api, format) =>
        {
            var runId = parseResult.GetValue(id)!;
            if (!await api.CancelWorkflowRunAsync(runId, cancellationToken))
            {
                throw new WorkflowRunNotFoundException(runId);
            }

            if (format != OutputFormat.Table)
            {
                StructuredOutput.Write(Console.Out, new JsonObject { ["id"] = runId, ["status"] = "cancelling" }, format);
            }
            else
            {
                Console.WriteLine($"ok: run {runId} is being cancelled by the invoker driving it");
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static void Print(WorkflowRun run, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            StructuredOutput.Write(Console.Out, run, format);
            return;
        }

        Console.WriteLine(Summary(run));
    }

    /// <summary>One line per step and platform: status, attempt, duration, activation, artifact.</summary>
    public static string Summary(WorkflowRun run)
    {
        var lines = new List<string> { $"run {run.Id} of {run.Workflow}: {run.Status}{(run.Reason is null ? "" : $" — {run.Reason}")}" };
        foreach (var step in run.Steps)
        {
            lines.Add($"  {step.Name,-16} {step.Status,-10} {step.Reason}");
            foreach (var entry in step.Runs)
            {
                lines.Add($"    {entry.Platform ?? "-",-16} {entry.Status,-10} attempt {entry.Attempt} {entry.DurationMs,6}ms {entry.ActivationId} {entry.Artifact?.Reference}{(entry.Error is null ? "" : " " + entry.Error)}");
            }
        }

        if (run.Result is not null)
        {
            lines.Add($"  result: {run.Result.ToJsonString()}");
        }

        return string.Join(Environment.NewLine, lines);
    }
}

using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>`polyarch-invoker workflows create|get|list|delete|run` and `workflows runs list|get|cancel`.</summary>
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
        var file = new Option<FileInfo>("--file", "-f") { Description = "The definition, YAML or JSON (see invoker/README.md \"Workflows\")", Required = true };
        var output = CliOptions.Output();
        var command = new Command("create", "Create or replace a workflow from a YAML or JSON file") { name, file, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            var path = parseResult.GetValue(file)!;
            if (!path.Exists)
            {
                return await CliErrors.ReportAsync(new FormatException($"--file {path.FullName} does not exist; write the definition there first"), json);
            }

            await using var services = CliHost.Create();
            try
            {
                var workflow = WorkflowDefinitionReader.Read(await File.ReadAllTextAsync(path.FullName, cancellationToken), parseResult.GetValue(name), path.FullName);
                workflow = await services.GetRequiredService<WorkflowEngine>().PutAsync(workflow, cancellationToken);
                Console.WriteLine(json
                    ? JsonSerializer.Serialize(workflow, InvokerJson.Indented)
                    : $"ok: workflow {workflow.Name}: {workflow.Steps.Count} steps ({string.Join(", ", workflow.Steps.Select(s => s.Name))})");
                return ExitCodes.Success;
            }
            catch (InvalidWorkflowException invalid)
            {
                foreach (var error in invalid.Errors)
                {
                    await Console.Error.WriteLineAsync($"error: workflow '{invalid.Workflow}': {error}");
                }

                if (json)
                {
                    Console.WriteLine(new JsonObject
                    {
                        ["error"] = invalid.Message,
                        ["errors"] = new JsonArray([.. invalid.Errors.Select(e => (JsonNode?)e)]),
                        ["exitCode"] = ExitCodes.InvalidInput,
                        ["kind"] = nameof(InvalidWorkflowException),
                    }.ToJsonString(InvokerJson.Indented));
                }

                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    private static Command GetVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The workflow's name" };
        var output = CliOptions.Output();
        var command = new Command("get", "Show a workflow's definition as JSON") { name, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = CliHost.Create();
            var workflowName = parseResult.GetValue(name)!;
            if (await services.GetRequiredService<WorkflowStore>().GetAsync(workflowName, cancellationToken) is { } workflow)
            {
                Console.WriteLine(JsonSerializer.Serialize(workflow, InvokerJson.Indented));
                return ExitCodes.Success;
            }

            return await CliErrors.ReportAsync(new WorkflowNotFoundException(workflowName), CliOptions.IsJson(parseResult.GetValue(output)));
        });
        return command;
    }

    private static Command ListVerb()
    {
        var output = CliOptions.Output();
        var command = new Command("list", "List workflows") { output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = CliHost.Create();
            var workflows = await services.GetRequiredService<WorkflowStore>().ListAsync(cancellationToken);
            if (CliOptions.IsJson(parseResult.GetValue(output)))
            {
                Console.WriteLine(JsonSerializer.Serialize(workflows, InvokerJson.Indented));
            }
            else
            {
                foreach (var workflow in workflows)
                {
                    Console.WriteLine($"{workflow.Name,-24} {string.Join(" → ", workflow.Steps.Select(s => s.Name))}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command DeleteVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The workflow's name" };
        var output = CliOptions.Output();
        var command = new Command("delete", "Delete a workflow (its runs are kept)") { name, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = CliHost.Create();
            var workflowName = parseResult.GetValue(name)!;
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            if (await services.GetRequiredService<WorkflowStore>().DeleteAsync(workflowName, cancellationToken))
            {
                Console.WriteLine(json ? new JsonObject { ["deleted"] = workflowName }.ToJsonString(InvokerJson.Indented) : $"ok: deleted workflow {workflowName}");
                return ExitCodes.Success;
            }

            return await CliErrors.ReportAsync(new WorkflowNotFoundException(workflowName), json);
        });
        return command;
    }

    private static Command RunVerb()
    {
        var name = new Argument<string>("NAME") { Description = "The workflow to run" };
        var param = new Option<string[]>("--param", "-p") { Description = "KEY=VALUE run param (VALUE may be JSON); repeatable" };
        var wait = new Option<bool>("--wait") { Description = "Drive the run in this process and wait for its end (else a running `serve` takes it up)" };
        var output = CliOptions.Output();
        var command = new Command("run", "Start a run of a workflow") { name, param, wait, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            var waiting = parseResult.GetValue(wait);
            var services = waiting ? CliHost.CreateForInvoke() : CliHost.Create();
            try
            {
                var parameters = ParamsParser.Parse(parseResult.GetValue(param) ?? [], null);
                var engine = services.GetRequiredService<WorkflowEngine>();
                var start = await engine.StartAsync(new WorkflowStartRequest(parseResult.GetValue(name)!, parameters), drive: waiting, cancellationToken);
                if (!waiting)
                {
                    Console.WriteLine(json
                        ? new JsonObject { ["runId"] = start.RunId, ["status"] = WorkflowRunStatus.Pending }.ToJsonString(InvokerJson.Indented)
                        : $"ok: run {start.RunId} stored; a running `polyarch-invoker serve` takes it up (see `workflows runs get {start.RunId}`)");
                    return ExitCodes.Success;
                }

                var run = await engine.WaitAsync(start.RunId, cancellationToken);
                Console.WriteLine(json ? JsonSerializer.Serialize(run, InvokerJson.Indented) : Summary(run));
                return run.Status == WorkflowRunStatus.Succeeded ? ExitCodes.Success : ExitCodes.Failed;
            }
            catch (Exception exception) when (CliErrors.IsReportable(exception))
            {
                return await CliErrors.ReportAsync(exception, json);
            }
            finally
            {
                if (waiting)
                {
                    await CliHost.CleanUpAsync(services);
                }
                else
                {
                    await services.DisposeAsync();
                }
            }
        });
        return command;
    }

    private static Command RunsListVerb()
    {
        var workflow = new Option<string?>("--workflow") { Description = "Only this workflow's runs" };
        var limit = new Option<int>("--limit") { Description = "How many, newest first", DefaultValueFactory = _ => 30 };
        var output = CliOptions.Output();
        var command = new Command("list", "List runs, newest first") { workflow, limit, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = CliHost.Create();
            var runs = await services.GetRequiredService<WorkflowStore>().ListRunsAsync(parseResult.GetValue(workflow), Math.Clamp(parseResult.GetValue(limit), 1, 1000), cancellationToken);
            if (CliOptions.IsJson(parseResult.GetValue(output)))
            {
                Console.WriteLine(JsonSerializer.Serialize(runs, InvokerJson.Indented));
            }
            else
            {
                foreach (var run in runs)
                {
                    Console.WriteLine($"{run.Id}  {run.Workflow,-20} {run.Status,-10} {run.StartedAt:u}  {run.Reason}");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RunsGetVerb()
    {
        var id = new Argument<string>("RUN") { Description = "The run's id" };
        var output = CliOptions.Output();
        var command = new Command("get", "Show a run: its steps, platforms, activations and artifacts") { id, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = CliHost.Create();
            var runId = parseResult.GetValue(id)!;
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            if (await services.GetRequiredService<WorkflowStore>().GetRunAsync(runId, cancellationToken) is not { } run)
            {
                return await CliErrors.ReportAsync(new WorkflowRunNotFoundException(runId), json);
            }

            Console.WriteLine(json ? JsonSerializer.Serialize(run, InvokerJson.Indented) : Summary(run));
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command RunsCancelVerb()
    {
        var id = new Argument<string>("RUN") { Description = "The run's id" };
        var output = CliOptions.Output();
        var command = new Command("cancel", "Cancel a run: no step starts any more, running steps are cancelled") { id, output };
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            await using var services = CliHost.Create();
            var runId = parseResult.GetValue(id)!;
            var json = CliOptions.IsJson(parseResult.GetValue(output));
            var engine = services.GetRequiredService<WorkflowEngine>();
            if (await engine.CancelAsync(runId, cancellationToken))
            {
                Console.WriteLine(json ? new JsonObject { ["id"] = runId, ["status"] = "cancelling" }.ToJsonString(InvokerJson.Indented) : $"ok: run {runId} is being cancelled by the invoker driving it");
                return ExitCodes.Success;
            }

            return await engine.GetRunAsync(runId, cancellationToken) is { } run
                ? await CliErrors.ReportAsync(new InvalidOperationException($"run {runId} already ended {run.Status}; there is nothing to cancel"), json)
                : await CliErrors.ReportAsync(new WorkflowRunNotFoundException(runId), json);
        });
        return command;
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

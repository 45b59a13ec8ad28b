using System.Text.RegularExpressions;
using Polyarch.Invoker.Actions;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Workflows;

/// <summary>
/// Checks a definition before it is stored: names, actions, the DAG, references, files and platforms. Reports every
/// problem at once, each naming its step and the fix.
/// </summary>
internal static partial class WorkflowValidator
{
    private static readonly HashSet<string> TriggerFields = new(StringComparer.Ordinal)
    {
        "kind", "rule", "registry", "repository", "tag", "digest", "mediaType", "size", "artifactType", "scheduledAt",
    };

    /// <exception cref="InvalidWorkflowException">Something in the definition cannot work.</exception>
    public static async Task ValidateAsync(WorkflowDefinition workflow, IActionStore actions, CancellationToken cancellationToken)
    {
        var errors = new List<string>();
        if (!Name().IsMatch(workflow.Name))
        {
            errors.Add($"the workflow name '{workflow.Name}' must be 1-63 letters, digits, '-' or '_' starting with a letter or digit");
        }

        if (workflow.Results is { } results && !ImageReference.TryParse(results, out _, out var why))
        {
            errors.Add($"results '{results}' is not a repository ({why}); write registry/path such as 127.0.0.1:5000/workflows/{workflow.Name}");
        }

        if (workflow.Steps.Count == 0)
        {
            errors.Add("the workflow has no steps; add at least one under steps:");
        }

        var steps = new Dictionary<string, WorkflowStepDefinition>(StringComparer.Ordinal);
        foreach (var step in workflow.Steps)
        {
            if (!Name().IsMatch(step.Name))
            {
                errors.Add($"step '{step.Name}': a step name must be 1-63 letters, digits, '-' or '_' starting with a letter or digit (it becomes part of a tag)");
            }
            else if (!steps.TryAdd(step.Name, step))
            {
                errors.Add($"step '{step.Name}' is defined twice; give each step its own name");
            }
        }

        foreach (var step in workflow.Steps)
        {
            await ValidateStepAsync(step, steps, actions, errors, cancellationToken);
        }

        if (Cycle(workflow.Steps, steps) is { } cycle)
        {
            errors.Add($"steps {string.Join(" → ", cycle)} form a cycle through needs; remove one of those needs");
        }
        else
        {
            foreach (var path in WorkflowReferences.Find(workflow.Result))
            {
                CheckReference(path, "the workflow's result", null, steps, errors);
            }
        }

        if (errors.Count > 0)
        {
            throw new InvalidWorkflowException(workflow.Name, errors);
        }
    }

    /// <summary>Every step <paramref name="step"/> needs, directly or through others.</summary>
    public static HashSet<string> Ancestors(WorkflowStepDefinition step, IReadOnlyDictionary<string, WorkflowStepDefinition> steps)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(step.Needs);
        while (queue.TryDequeue(out var name))
        {
            if (seen.Add(name) && steps.TryGetValue(name, out var needed))
            {
                foreach (var next in needed.Needs)
                {
                    queue.Enqueue(next);
                }
            }
        }

        return seen;
    }

    private static async Task ValidateStepAsync(
        WorkflowStepDefinition step, Dictionary<string, WorkflowStepDefinition> steps, IActionStore actions, List<string> errors, CancellationToken cancellationToken)
    {
        var where = $"step '{step.Name}'";
        if (step.Tag is not null && step.Action is not null)
        {
            errors.Add($"{where} has both action and tag; a tag step is built in and runs no action — remove one of them");
        }
        else if (step.Tag is { } tag)
        {
            if (WorkflowReferences.Find(tag.Artifact).Count() != 1 && !ImageReference.TryParse(tag.Artifact, out _, out _))
            {
                errors.Add($"{where}: tag.artifact '{tag.Artifact}' must be a reference such as ${{steps.train.artifact}}");
            }

            if (!TagName().IsMatch(tag.As))
            {
                errors.Add($"{where}: tag.as '{tag.As}' is not a tag (letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-')");
            }

            if (step.Platforms is not null || step.Files.Count > 0)
            {
                errors.Add($"{where} is a tag step: platforms and files do not apply; remove them");
            }
        }
        else if (string.IsNullOrWhiteSpace(step.Action))
        {
            errors.Add($"{where} names no action; add action: NAME (an action from `polyarch-invoker actions list`) or a tag: step");
        }
        else if (await actions.GetAsync(step.Action, cancellationToken) is null)
        {
            errors.Add($"{where}: action '{step.Action}' does not exist; create it first (`polyarch-invoker actions create {step.Action} --image …`) or fix the name");
        }

        foreach (var need in step.Needs.Where(n => !steps.ContainsKey(n)))
        {
            errors.Add($"{where} needs unknown step '{need}'; name one of: {string.Join(", ", steps.Keys)}");
        }

        if (step.Needs.Contains(step.Name, StringComparer.Ordinal))
        {
            errors.Add($"{where} needs itself; remove '{step.Name}' from its needs");
        }

        StepPlatforms.Parse(step.Platforms, out var platformError);
        if (platformError is not null)
        {
            errors.Add($"{where}: {platformError}");
        }

        if (step.Timeout is { } timeout && !StepDuration.TryParse(timeout, out _))
        {
            errors.Add($"{where}: timeout '{timeout}' is not a duration; write e.g. 500ms, 30s, 10m or 1h (at most 24h)");
        }

        if (step.Retries is < 0 or > 10)
        {
            errors.Add($"{where}: retries {step.Retries} must be between 0 and 10");
        }

        foreach (var file in step.Files)
        {
            CheckFile(file, step, steps, errors);
        }

        var paths = WorkflowReferences.Find(step.Params)
            .Concat(WorkflowReferences.Find(step.If))
            .Concat(WorkflowReferences.Find(step.Tag?.Artifact));
        foreach (var path in paths)
        {
            CheckReference(path, where, step, steps, errors);
        }
    }

    private static void CheckFile(string file, WorkflowStepDefinition step, Dictionary<string, WorkflowStepDefinition> steps, List<string> errors)
    {
        var where = $"step '{step.Name}'";
        var slash = file.IndexOf('/', StringComparison.Ordinal);
        var source = slash < 0 ? file : file[..slash];
        var name = slash < 0 ? null : file[(slash + 1)..];
        if (name is not null && !FileName().IsMatch(name))
        {
            errors.Add($"{where}: file '{file}' names '{name}', which is not a plain file name ([A-Za-z0-9][A-Za-z0-9._-]{{0,127}})");
        }

        if (source == "trigger")
        {
            return;
        }

        if (!source.StartsWith("steps.", StringComparison.Ordinal))
        {
            errors.Add($"{where}: file '{file}' must be trigger, trigger/NAME, steps.STEP or steps.STEP/NAME");
            return;
        }

        var from = source["steps.".Length..];
        if (!steps.TryGetValue(from, out var producer))
        {
            errors.Add($"{where}: file '{file}' names unknown step '{from}'; name one of: {string.Join(", ", steps.Keys)}");
        }
        else if (!Ancestors(step, steps).Contains(from))
        {
            errors.Add($"{where}: file '{file}' comes from step '{from}', which it does not need; add '{from}' to its needs");
        }
        else if (!StepPlatforms.Parse(producer.Platforms, out _).IsSingle)
        {
            errors.Add($"{where}: file '{file}' comes from step '{from}', which runs on several platforms (one artifact each); take files only from a single-platform step");
        }
    }

    private static void CheckReference(string path, string where, WorkflowStepDefinition? step, Dictionary<string, WorkflowStepDefinition> steps, List<string> errors)
    {
        var parts = path.Split('.');
        switch (parts[0])
        {
            case "params" when parts.Length >= 2:
                return;
            case "trigger" when parts.Length == 2 && TriggerFields.Contains(parts[1]):
                return;
            case "trigger":
                errors.Add($"{where}: ${{{path}}} names no trigger field; use one of: {string.Join(", ", TriggerFields.Select(f => "trigger." + f))}");
                return;
            case "steps" when parts.Length >= 3:
                var name = parts[1];
                if (!steps.ContainsKey(name))
                {
                    errors.Add($"{where}: ${{{path}}} names unknown step '{name}'; name one of: {string.Join(", ", steps.Keys)}");
                }
                else if (step is not null && !Ancestors(step, steps).Contains(name))
                {
                    errors.Add($"{where}: ${{{path}}} reads step '{name}', which it does not need (it may not have run yet); add '{name}' to its needs");
                }
                else if (parts[2] is not ("result" or "artifact" or "files"))
                {
                    errors.Add($"{where}: ${{{path}}}: a step offers result, result.FIELD…, artifact and files");
                }

                return;
            default:
                errors.Add($"{where}: ${{{path}}} is not a reference; use ${{params.NAME}}, ${{trigger.FIELD}}, ${{steps.STEP.result[.FIELD…]}}, ${{steps.STEP.artifact}} or ${{steps.STEP.files}}");
                return;
        }
    }

    private static List<string>? Cycle(IReadOnlyList<WorkflowStepDefinition> ordered, Dictionary<string, WorkflowStepDefinition> steps)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new List<string>();
        List<string>? found = null;

        bool Visit(string name)
        {
            state[name] = 1;
            stack.Add(name);
            foreach (var need in steps[name].Needs.Where(steps.ContainsKey))
            {
                if (state.GetValueOrDefault(need) == 1)
                {
                    found = [.. stack[stack.IndexOf(need)..], need];
                    return true;
                }

                if (state.GetValueOrDefault(need) == 0 && Visit(need))
                {
                    return true;
                }
            }

            stack.RemoveAt(stack.Count - 1);
            state[name] = 2;
            return false;
        }

        foreach (var step in ordered.Where(s => steps.ContainsKey(s.Name)))
        {
            if (state.GetValueOrDefault(step.Name) == 0 && Visit(step.Name))
            {
                return found;
            }
        }

        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$")]
    private static partial Regex Name();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")]
    private static partial Regex TagName();

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$")]
    internal static partial Regex FileName();
}

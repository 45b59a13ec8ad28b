using System.Text.Json;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Json;

namespace Polyarch.Invoker.Workflows;

/// <summary>
/// What references resolve against: <c>{params, trigger, steps: {S: {result, artifact, files}}}</c>. A step that ran
/// once offers its result, artifact reference and file names as they are; a step that ran on several platforms offers
/// each as an object keyed by platform.
/// </summary>
internal static class WorkflowContext
{
    public static JsonObject Of(WorkflowRun run, WorkflowDefinition definition)
    {
        var steps = new JsonObject();
        foreach (var state in run.Steps.Where(s => s.Status == WorkflowRunStatus.Succeeded))
        {
            var step = definition.Steps.FirstOrDefault(s => s.Name == state.Name);
            var single = step is null || step.Tag is not null || StepPlatforms.Parse(step.Platforms, out _).IsSingle;
            steps[state.Name] = single && state.Runs.Count <= 1
                ? Entry(state.Runs.FirstOrDefault())
                : new JsonObject
                {
                    ["result"] = Keyed(state, r => r.Result?.DeepClone()),
                    ["artifact"] = Keyed(state, r => r.Artifact is { } a ? JsonValue.Create(a.Reference) : null),
                    ["files"] = Keyed(state, r => Names(r)),
                };
        }

        return new JsonObject
        {
            ["params"] = run.Params.DeepClone(),
            ["trigger"] = run.Trigger is null ? null : JsonSerializer.SerializeToNode(run.Trigger, InvokerJson.Options),
            ["steps"] = steps,
        };
    }

    private static JsonObject Entry(WorkflowStepRun? run) => new()
    {
        ["result"] = run?.Result?.DeepClone(),
        ["artifact"] = run?.Artifact is { } a ? JsonValue.Create(a.Reference) : null,
        ["files"] = run is null ? new JsonArray() : Names(run),
    };

    private static JsonObject Keyed(WorkflowStepState state, Func<WorkflowStepRun, JsonNode?> value) =>
        new(state.Runs.Select(r => KeyValuePair.Create(r.Platform ?? "", value(r))));

    private static JsonArray Names(WorkflowStepRun run) =>
        new([.. (run.Artifact?.Files ?? []).Select(f => (JsonNode?)JsonValue.Create(f.Name))]);
}

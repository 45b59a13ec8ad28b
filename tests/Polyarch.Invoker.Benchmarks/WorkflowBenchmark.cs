using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Benchmarks;

/// <summary>
/// W1 (issue 14): the workflow engine's overhead per step. A chain of <c>steps</c> steps of one warm action (each step's
/// params reference the previous step's result) run by the engine, against the same actions invoked directly one after
/// another with the same params, interleaved in one run; overhead per step = (engine − direct) / steps.
/// </summary>
internal static class WorkflowBenchmark
{
    public static async Task<int> RunAsync(string image, int steps, int runs, string? jsonFile)
    {
        var instance = $"benchw{Environment.ProcessId}";
        var state = Directory.CreateTempSubdirectory("invoker-bench-w1-").FullName;
        var services = BenchmarkHost.Create(instance, state);
        try
        {
            const string Platform = "linux/amd64";
            var engine = services.GetRequiredService<WorkflowEngine>();
            var invoker = services.GetRequiredService<ActionInvoker>();
            await services.GetRequiredService<IActionStore>().PutAsync(new ActionDefinition { Name = "w1", Image = image }, CancellationToken.None);
            var yaml = "name: w1\nsteps:\n" + string.Join("\n", Enumerable.Range(0, steps).Select(i => i == 0
                ? $"  - {{ name: s0, action: w1, platforms: {Platform}, params: {{ step: 0 }} }}"
                : $"  - {{ name: s{i}, action: w1, platforms: {Platform}, needs: [s{i - 1}], params: {{ step: {i}, previous: \"${{steps.s{i - 1}.result.arch}}\" }} }}"));
            await engine.PutAsync(WorkflowDefinitionReader.Read(yaml, null, "w1.yaml"), CancellationToken.None);

            var workflow = new List<double>();
            var direct = new List<double>();
            for (var i = -3; i < runs; i++)
            {
                // The engine: start, drive, every state change stored, the record read back.
                var clock = Stopwatch.GetTimestamp();
                var start = await engine.StartAsync(new WorkflowStartRequest("w1", []), CancellationToken.None);
                var run = await engine.WaitAsync(start.RunId, CancellationToken.None);
                var engineMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
                if (run.Status != WorkflowRunStatus.Succeeded)
                {
                    throw new InvalidOperationException($"W1's run ended {run.Status}: {run.Reason}");
                }

                // The same actions, invoked directly one after another (the previous result feeding the next params).
                clock = Stopwatch.GetTimestamp();
                string? previous = null;
                for (var s = 0; s < steps; s++)
                {
                    var parameters = new JsonObject { ["step"] = s };
                    if (previous is not null)
                    {
                        parameters["previous"] = previous;
                    }

                    var record = await invoker.InvokeAsync(new InvocationRequest("w1", parameters, Platform), CancellationToken.None);
                    previous = record.Result?["arch"]?.GetValue<string>();
                }

                var directMs = Stopwatch.GetElapsedTime(clock).TotalMilliseconds;
                if (i >= 0)
                {
                    workflow.Add(engineMs);
                    direct.Add(directMs);
                }
            }

            var overhead = workflow.Zip(direct, (w, d) => (w - d) / steps).ToList();
            Console.WriteLine($"W1 workflow of {steps} steps ({image} on {Platform}), {runs} runs: engine median {Percentiles.Of(workflow).P50:F1} ms, "
                + $"direct median {Percentiles.Of(direct).P50:F1} ms, overhead per step median {Percentiles.Of(overhead).P50:F2} ms (target ≤ 5 ms)");
            if (jsonFile is not null)
            {
                await File.WriteAllTextAsync(jsonFile, JsonSerializer.Serialize(new { steps, runs, image, workflowMs = workflow, directMs = direct, overheadPerStepMs = overhead }));
            }

            return 0;
        }
        finally
        {
            await services.DisposeAsync();
            await RemoveContainersAsync(instance);
            Directory.Delete(state, recursive: true);
        }
    }

    private static async Task RemoveContainersAsync(string instance)
    {
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri("unix:///var/run/docker.sock")).Build();
        var containers = await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>> { ["label"] = new Dictionary<string, bool> { [$"io.polyarch.benchmark={instance}"] = true } },
        });
        foreach (var container in containers)
        {
            await docker.Containers.RemoveContainerAsync(container.ID, new ContainerRemoveParameters { Force = true });
        }
    }
}

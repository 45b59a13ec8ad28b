using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Tests.Fitness;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>/v1/workflows and /v1/workflow-runs on a real `serve` with API keys on.</summary>
[Collection(WorkflowsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkflowRestTests(WorkflowsFixture fixture)
{
    [Fact]
    public async Task Define_run_and_read_a_workflow_over_rest_and_an_invalid_one_is_a_400_problem_naming_the_step()
    {
        await using var serve = await ServeHost.StartAsync("--Service:RequireApiKey=true", $"--Service:ApiKey={ServeHost.Key}");
        serve.Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ServeHost.Key);
        await ((IActionStore)serve.Services.GetService(typeof(IActionStore))!).PutAsync(new ActionDefinition { Name = "wf-echo", Image = fixture.EchoImage }, CancellationToken.None);

        using var invalid = await serve.Http.PutAsync(new Uri("/v1/workflows/bad", UriKind.Relative),
            new StringContent("steps:\n  - { name: a, action: wf-echo, needs: [a] }\n", Encoding.UTF8, "application/yaml"));
        invalid.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        invalid.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        var problem = JsonNode.Parse(await invalid.Content.ReadAsStringAsync())!;
        problem["title"]!.GetValue<string>().ShouldBe("Invalid workflow");
        problem["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain("step 'a' needs itself; remove 'a' from its needs");

        using var put = await serve.Http.PutAsync(new Uri("/v1/workflows/hello", UriKind.Relative),
            new StringContent("""{"steps": [{"name": "a", "action": "wf-echo", "platforms": "linux/amd64", "params": {"x": "${params.x}"}}], "result": "${steps.a.result.params}"}""", Encoding.UTF8, "application/json"));
        put.StatusCode.ShouldBe(HttpStatusCode.OK, await put.Content.ReadAsStringAsync());

        using var ran = await serve.Http.PostAsJsonAsync(new Uri("/v1/workflows/hello/runs?wait=true", UriKind.Relative), new { x = 7 });
        ran.StatusCode.ShouldBe(HttpStatusCode.OK, await ran.Content.ReadAsStringAsync());
        var record = JsonNode.Parse(await ran.Content.ReadAsStringAsync())!;
        record["status"]!.GetValue<string>().ShouldBe(WorkflowRunStatus.Succeeded);
        record["result"]!.ToJsonString().ShouldBe("""{"x":7}""");
        var runId = record["id"]!.GetValue<string>();

        using var accepted = await serve.Http.PostAsJsonAsync(new Uri("/v1/workflows/hello/runs", UriKind.Relative), new { x = 8 });
        accepted.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var second = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!["runId"]!.GetValue<string>();
        var engine = (WorkflowEngine)serve.Services.GetService(typeof(WorkflowEngine))!;
        (await engine.WaitAsync(second, CancellationToken.None)).Result!.ToJsonString().ShouldBe("""{"x":8}""");

        var got = JsonNode.Parse(await serve.Http.GetStringAsync(new Uri($"/v1/workflow-runs/{runId}", UriKind.Relative)))!;
        got["id"]!.GetValue<string>().ShouldBe(runId);
        var listed = JsonNode.Parse(await serve.Http.GetStringAsync(new Uri("/v1/workflow-runs?workflow=hello", UriKind.Relative)))!.AsArray();
        listed.Select(r => r!["id"]!.GetValue<string>()).ShouldBe([second, runId]);
        using var finished = await serve.Http.PostAsync(new Uri($"/v1/workflow-runs/{runId}/cancel", UriKind.Relative), null);
        finished.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        using var unknown = await serve.Http.PostAsync(new Uri("/v1/workflows/nope/runs", UriKind.Relative), null);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}

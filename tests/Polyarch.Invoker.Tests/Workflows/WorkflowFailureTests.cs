using System.Text.Json.Nodes;
using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>A failed step fails the run; its dependents never start; the record names the step, the platform and why.</summary>
[Collection(WorkflowsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkflowFailureTests(WorkflowsFixture fixture)
{
    [Fact]
    public async Task A_step_that_fails_on_one_platform_fails_the_run_after_its_retries_and_its_dependents_never_start()
    {
        await using var host = new WorkflowHost(WorkflowSetup.NewStateDirectory());
        await WorkflowSetup.ActionsAsync(host, fixture, "wf-flaky");
        await WorkflowSetup.DefineAsync(host, """
            name: fails
            steps:
              - name: test
                action: wf-flaky
                platforms: [linux/amd64, linux/arm64]
                retries: 1
                params: { fail: aarch64 }
              - name: after
                action: wf-echo
                needs: [test]
            """);

        var start = await host.Engine.StartAsync(new WorkflowStartRequest("fails", []), CancellationToken.None);
        var run = await host.Engine.WaitAsync(start.RunId, CancellationToken.None);

        run.Status.ShouldBe(WorkflowRunStatus.Failed);
        run.Reason.ShouldNotBeNull();
        run.Reason.ShouldContain("step 'test' failed on linux/arm64 after 2 attempt(s)");
        run.Reason.ShouldContain("failing on purpose on aarch64");
        run.EndedAt.ShouldNotBeNull();
        var test = run.Step("test");
        test.Status.ShouldBe(WorkflowRunStatus.Failed);
        var arm = test.Runs.Single(r => r.Platform == "linux/arm64");
        arm.Status.ShouldBe(WorkflowRunStatus.Failed);
        arm.Attempt.ShouldBe(2);
        arm.Activations.Count.ShouldBe(2);
        arm.Error.ShouldNotBeNull().ShouldContain("application error: failing on purpose on aarch64");
        test.Runs.Single(r => r.Platform == "linux/amd64").Status.ShouldBe(WorkflowRunStatus.Succeeded);

        var after = run.Step("after");
        after.Status.ShouldBe(WorkflowRunStatus.Skipped);
        after.Reason.ShouldBe("not started: it needs step 'test', which failed");
        after.Runs.ShouldBeEmpty();
        (await host.Activations.ListAsync("wf-echo", 10, CancellationToken.None)).ShouldBeEmpty();
        (await host.Activations.ListAsync("wf-flaky", 10, CancellationToken.None)).Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_step_whose_if_is_false_is_skipped_and_the_run_still_succeeds()
    {
        await using var host = new WorkflowHost(WorkflowSetup.NewStateDirectory());
        await WorkflowSetup.ActionsAsync(host, fixture);
        await WorkflowSetup.DefineAsync(host, """
            name: gated
            params: { go: false }
            steps:
              - name: decide
                action: wf-echo
                platforms: linux/amd64
                params: { promote: "${params.go}" }
              - name: promote
                action: wf-echo
                needs: [decide]
                if: "${steps.decide.result.params.promote}"
            result: "${steps.decide.result.params}"
            """);

        var skipped = await host.Engine.WaitAsync((await host.Engine.StartAsync(new WorkflowStartRequest("gated", []), CancellationToken.None)).RunId, CancellationToken.None);
        var ran = await host.Engine.WaitAsync((await host.Engine.StartAsync(new WorkflowStartRequest("gated", new JsonObject { ["go"] = true }), CancellationToken.None)).RunId, CancellationToken.None);

        skipped.Status.ShouldBe(WorkflowRunStatus.Succeeded);
        skipped.Step("promote").Status.ShouldBe(WorkflowRunStatus.Skipped);
        skipped.Step("promote").Reason.ShouldBe("if ${steps.decide.result.params.promote} was not true");
        skipped.Result!.ToJsonString().ShouldBe("""{"promote":false}""");
        ran.Status.ShouldBe(WorkflowRunStatus.Succeeded);
        ran.Step("promote").Status.ShouldBe(WorkflowRunStatus.Succeeded);
        ran.Step("decide").Runs.ShouldHaveSingleItem().Platform.ShouldBe("linux/amd64");
    }
}

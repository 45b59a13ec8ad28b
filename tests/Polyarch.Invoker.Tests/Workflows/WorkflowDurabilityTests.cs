using Polyarch.Invoker.Workflows;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>Runs survive the invoker: stopped during a fan-out, a new invoker on the same store finishes them; cancel ends them.</summary>
[Collection(WorkflowsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkflowDurabilityTests(WorkflowsFixture fixture)
{
    private const string Definition = """
        name: durable
        steps:
          - name: first
            action: wf-first
          - name: fan
            action: wf-fan
            needs: [first]
            platforms: all
            params: { sleep: 4 }
          - name: last
            action: wf-echo
            needs: [fan]
            params: { fan: "${steps.fan.result}" }
        """;

    [Fact]
    public async Task An_invoker_stopped_during_a_fan_out_is_succeeded_by_one_that_finishes_the_run_without_running_finished_steps_again()
    {
        var state = WorkflowSetup.NewStateDirectory();
        string runId;
        await using (var first = new WorkflowHost(state))
        {
            await WorkflowSetup.ActionsAsync(first, fixture, "wf-first", "wf-fan");
            await WorkflowSetup.DefineAsync(first, Definition);
            runId = (await first.Engine.StartAsync(new WorkflowStartRequest("durable", []), CancellationToken.None)).RunId;

            // Stop (dispose) once all three platforms of the fan-out run their activation.
            await first.PollAsync(runId, r => r.Step("fan").Runs.Count == 3 && r.Step("fan").Runs.All(x => x.Status == WorkflowRunStatus.Running && x.ActivationId is not null));
        }

        await using var second = new WorkflowHost(state);
        var left = await second.Store.GetRunAsync(runId, CancellationToken.None);
        left.ShouldNotBeNull().Status.ShouldBe(WorkflowRunStatus.Running);
        left.Step("first").Status.ShouldBe(WorkflowRunStatus.Succeeded);
        left.Step("fan").Runs.ShouldAllBe(r => r.Status == WorkflowRunStatus.Running && r.Attempt == 1);

        await second.StartAsync();
        var run = await second.Engine.WaitAsync(runId, CancellationToken.None);

        run.Status.ShouldBe(WorkflowRunStatus.Succeeded, run.Reason);
        run.Step("first").Runs.ShouldHaveSingleItem().Activations.Count.ShouldBe(1);
        (await second.Activations.ListAsync("wf-first", 10, CancellationToken.None)).Count.ShouldBe(1);
        var fan = run.Step("fan").Runs;
        fan.Count.ShouldBe(3);
        fan.ShouldAllBe(r => r.Status == WorkflowRunStatus.Succeeded && r.Attempt == 2 && r.Activations.Count == 2);
        // The interrupted attempts left no record (they never ended); the retried ones did, once per platform.
        (await second.Activations.ListAsync("wf-fan", 10, CancellationToken.None)).Select(a => a.Platform).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        run.Step("last").Runs.ShouldHaveSingleItem().Result!["params"]!["fan"]!.AsObject().Count.ShouldBe(3);
    }

    [Fact]
    public async Task Cancel_stops_the_running_steps_starts_no_more_and_ends_the_run_cancelled()
    {
        await using var host = new WorkflowHost(WorkflowSetup.NewStateDirectory());
        await WorkflowSetup.ActionsAsync(host, fixture, "wf-first", "wf-fan");
        await WorkflowSetup.DefineAsync(host, Definition.Replace("sleep: 4", "sleep: 60", StringComparison.Ordinal));
        var runId = (await host.Engine.StartAsync(new WorkflowStartRequest("durable", []), CancellationToken.None)).RunId;
        await host.PollAsync(runId, r => r.Step("fan").Runs.Count == 3 && r.Step("fan").Runs.All(x => x.Status == WorkflowRunStatus.Running));

        var clock = TimeProvider.System.GetTimestamp();
        (await host.Engine.CancelAsync(runId, CancellationToken.None)).ShouldBeTrue();
        var run = await host.Engine.WaitAsync(runId, CancellationToken.None);

        TimeProvider.System.GetElapsedTime(clock).ShouldBeLessThan(TimeSpan.FromSeconds(30));
        run.Status.ShouldBe(WorkflowRunStatus.Cancelled);
        run.Step("first").Status.ShouldBe(WorkflowRunStatus.Succeeded);
        run.Step("fan").Status.ShouldBe(WorkflowRunStatus.Cancelled);
        run.Step("fan").Runs.ShouldAllBe(r => r.Status == WorkflowRunStatus.Cancelled);
        run.Step("last").Status.ShouldBe(WorkflowRunStatus.Cancelled);
        run.Step("last").Runs.ShouldBeEmpty();
        (await host.Activations.ListAsync("wf-echo", 10, CancellationToken.None)).ShouldBeEmpty();
        (await host.Engine.CancelAsync(runId, CancellationToken.None)).ShouldBeFalse();
    }

    [Fact]
    public async Task A_cancel_asked_by_another_process_reaches_the_invoker_driving_the_run()
    {
        var state = WorkflowSetup.NewStateDirectory();
        await using var driver = new WorkflowHost(state);
        await WorkflowSetup.ActionsAsync(driver, fixture, "wf-first", "wf-fan");
        await WorkflowSetup.DefineAsync(driver, Definition.Replace("sleep: 4", "sleep: 60", StringComparison.Ordinal));
        var runId = (await driver.Engine.StartAsync(new WorkflowStartRequest("durable", []), CancellationToken.None)).RunId;
        await driver.PollAsync(runId, r => r.Step("fan").Status == WorkflowRunStatus.Running);

        await using (var cli = new WorkflowHost(state))
        {
            (await cli.Engine.CancelAsync(runId, CancellationToken.None)).ShouldBeTrue();
        }

        var run = await driver.PollAsync(runId, r => WorkflowRunStatus.IsFinal(r.Status), seconds: 30);
        run.Status.ShouldBe(WorkflowRunStatus.Cancelled);
    }
}

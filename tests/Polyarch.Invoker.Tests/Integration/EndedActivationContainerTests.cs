using System.Text.Json.Nodes;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>
/// An http activation that did not end cleanly — its time limit passed, or its caller cancelled it (a workflow step's
/// timeout, a stopping invoker) — leaves no container behind for the next activation: the container, which may still
/// run the old action, is removed and its pool slot freed (OpenWhisk destroys it too). Real engine, one container per key,
/// so a slot that is never given back would make the next activation wait for ever.
/// </summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EndedActivationContainerTests(InvokerEngineFixture fixture)
{
    private static readonly Dictionary<string, string?> OneContainerPerKey = new() { ["WarmPool:MaxContainersPerKey"] = "1" };

    [Fact]
    public async Task A_timed_out_activation_s_container_is_removed_and_the_next_gets_a_new_one_with_its_own_answer()
    {
        await using var harness = new InvokerHarness(OneContainerPerKey);
        await harness.Actions.PutAsync(new ActionDefinition { Name = "sleepy", Image = fixture.HttpFaultsImage, TimeoutMs = 1500 }, CancellationToken.None);

        var slow = await harness.Invoker.InvokeAsync(new InvocationRequest("sleepy", new JsonObject { ["mode"] = "timeout" }), CancellationToken.None);
        var first = (await harness.ContainersAsync()).Select(c => c.ID).ToList();
        using var prompt = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var next = await harness.Invoker.InvokeAsync(new InvocationRequest("sleepy", new JsonObject { ["mode"] = "ok" }), prompt.Token);

        slow.Status.ShouldBe(ActivationStatus.DeveloperError, slow.Result?.ToJsonString());
        slow.Result!.ToJsonString().ShouldContain("time limit of 1500 ms");
        next.Status.ShouldBe(ActivationStatus.Success, next.Result?.ToJsonString());
        next.Result!["ok"]!.GetValue<bool>().ShouldBeTrue();
        next.Cold.ShouldBeTrue("the timed-out activation's container is never reused");
        harness.Pool.RemovedAfterActivation.ShouldBe(1);
        (await ContainerIdsEventuallyAsync(harness, ids => !ids.Intersect(first).Any())).Count.ShouldBe(1, "only the new container is left");
    }

    [Fact]
    public async Task A_cancelled_activation_s_container_is_removed_and_its_slot_freed_for_the_next()
    {
        await using var harness = new InvokerHarness(OneContainerPerKey);
        await harness.Actions.PutAsync(new ActionDefinition { Name = "sleepy", Image = fixture.HttpFaultsImage, TimeoutMs = 120_000 }, CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var slow = harness.Invoker.InvokeAsync(new InvocationRequest("sleepy", new JsonObject { ["mode"] = "timeout" }), cancel.Token);
        var busy = await ContainerIdsEventuallyAsync(harness, ids => ids.Count == 1);
        await Task.Delay(TimeSpan.FromSeconds(3)); // /init answers in milliseconds: the activation is in /run, sleeping
        await cancel.CancelAsync();
        await Should.ThrowAsync<OperationCanceledException>(slow);
        using var prompt = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var next = await harness.Invoker.InvokeAsync(new InvocationRequest("sleepy", new JsonObject { ["mode"] = "ok" }), prompt.Token);

        next.Status.ShouldBe(ActivationStatus.Success, next.Result?.ToJsonString());
        next.Cold.ShouldBeTrue("the cancelled activation's container is never reused");
        harness.Pool.RemovedAfterActivation.ShouldBe(1);
        (await ContainerIdsEventuallyAsync(harness, ids => !ids.Intersect(busy).Any())).Count.ShouldBe(1, "the cancelled activation's container was removed");
    }

    private static async Task<List<string>> ContainerIdsEventuallyAsync(InvokerHarness harness, Func<List<string>, bool> condition)
    {
        for (var i = 0; ; i++)
        {
            var ids = (await harness.ContainersAsync()).Select(c => c.ID).ToList();
            if (condition(ids) || i == 100)
            {
                return ids;
            }

            await Task.Delay(200);
        }
    }
}

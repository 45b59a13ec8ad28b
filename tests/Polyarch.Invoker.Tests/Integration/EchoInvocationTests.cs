using System.Text.Json.Nodes;
using Docker.DotNet.Models;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Integration;

[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EchoInvocationTests(InvokerEngineFixture fixture)
{
    [Theory]
    [InlineData("linux/amd64", "x86_64", false)]
    [InlineData("linux/arm64", "aarch64", true)]
    [InlineData("linux/ppc64le", "ppc64le", true)]
    public async Task Invoke_OnEachPlatform_RunsThatVariant(string platform, string arch, bool emulated)
    {
        await using var harness = new InvokerHarness();

        var record = await harness.Invoker.InvokeAsync(new InvocationRequest(fixture.EchoImage, new JsonObject { ["x"] = 1 }, platform), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Result!["arch"]!.GetValue<string>().ShouldBe(arch);
        record.Result!["params"]!.ToJsonString().ShouldBe("{\"x\":1}");
        record.Platform.ShouldBe(platform);
        record.Emulated.ShouldBe(emulated);
        record.Cold.ShouldBeTrue();
        record.IndexDigest.ShouldStartWith("sha256:");
        record.ChildDigest.ShouldStartWith("sha256:");
        record.ChildDigest.ShouldNotBe(record.IndexDigest);
        (await harness.Activations.GetAsync(record.ActivationId, CancellationToken.None))!.Result!["arch"]!.GetValue<string>().ShouldBe(arch);
    }

    [Fact]
    public async Task Invoke_Twice_SecondCallIsWarmAndReusesTheContainer()
    {
        await using var harness = new InvokerHarness();
        var request = new InvocationRequest(fixture.EchoImage, new JsonObject { ["n"] = 1 }, "linux/arm64");

        var first = await harness.Invoker.InvokeAsync(request, CancellationToken.None);
        var containersAfterFirst = await harness.ContainersAsync();
        var second = await harness.Invoker.InvokeAsync(request with { Params = new JsonObject { ["n"] = 2 } }, CancellationToken.None);
        var containersAfterSecond = await harness.ContainersAsync();

        first.Cold.ShouldBeTrue();
        second.Cold.ShouldBeFalse();
        second.InitMs.ShouldBe(0);
        second.Status.ShouldBe(ActivationStatus.Success);
        second.Result!["params"]!["n"]!.GetValue<int>().ShouldBe(2);
        containersAfterFirst.ShouldHaveSingleItem();
        containersAfterSecond.ShouldHaveSingleItem().ID.ShouldBe(containersAfterFirst[0].ID);
        var labels = containersAfterSecond[0].Labels;
        labels["io.polyarch.managed"].ShouldBe("true");
        labels["io.polyarch.instance"].ShouldBe(harness.InstanceId);
        labels["io.polyarch.activation"].ShouldBe(first.ActivationId);
    }

    [Fact]
    public async Task InvokeAllPlatforms_RunsEveryVariantConcurrently()
    {
        await using var harness = new InvokerHarness();

        var results = await harness.Invoker.InvokeAllPlatformsAsync(new InvocationRequest(fixture.EchoImage, []), CancellationToken.None);

        results.Select(r => r.Platform).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        results.ShouldAllBe(r => r.IsSuccess);
        results.Select(r => r.Activation!.Result!["arch"]!.GetValue<string>()).ShouldBe(["x86_64", "aarch64", "ppc64le"], ignoreOrder: true);
        results.Select(r => r.Activation!.ChildDigest).Distinct().Count().ShouldBe(3);
    }

    [Fact]
    public async Task Invoke_VariantRequiringAGpu_FailsPlacementClearly_OtherVariantsStillRun()
    {
        await using var harness = new InvokerHarness();

        var error = await Should.ThrowAsync<PlacementException>(() =>
            harness.Invoker.InvokeAsync(new InvocationRequest(fixture.GpuImage, [], "linux/amd64"), CancellationToken.None));
        var fanOut = await harness.Invoker.InvokeAllPlatformsAsync(new InvocationRequest(fixture.GpuImage, []), CancellationToken.None);

        error.Message.ShouldContain("linux/amd64: requires 1 GPU(s) (io.polyarch.requires.gpu=nvidia) but the backend has 0");
        error.ImagePlatforms.ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        fanOut.Single(r => r.Platform == "linux/amd64").Error.ShouldNotBeNull().ShouldContain("GPU");
        fanOut.Where(r => r.Platform != "linux/amd64").ShouldAllBe(r => r.IsSuccess);
        (await harness.ContainersAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Invoke_PlatformTheImageLacks_ListsWhatItHas()
    {
        await using var harness = new InvokerHarness();

        var error = await Should.ThrowAsync<PlacementException>(() =>
            harness.Invoker.InvokeAsync(new InvocationRequest(fixture.EchoImage, [], "linux/s390x"), CancellationToken.None));

        error.Message.ShouldContain("no variant for linux/s390x");
        error.Message.ShouldContain("The image has linux/amd64, linux/arm64, linux/ppc64le");
        error.Message.ShouldContain("linux/s390x (emulated)");
    }

    [Fact]
    public async Task Invoke_WarmContainerDied_IsReplacedOnTheNextCall()
    {
        await using var harness = new InvokerHarness();
        var request = new InvocationRequest(fixture.EchoImage, [], "linux/amd64");
        await harness.Invoker.InvokeAsync(request, CancellationToken.None);
        var first = (await harness.ContainersAsync()).ShouldHaveSingleItem();
        using (var docker = ContainerHost.CreateDockerClient())
        {
            await docker.Containers.RemoveContainerAsync(first.ID, new ContainerRemoveParameters { Force = true });
        }

        var record = await harness.Invoker.InvokeAsync(request, CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.Success, record.Result?.ToJsonString());
        record.Cold.ShouldBeTrue();
        (await harness.ContainersAsync()).ShouldHaveSingleItem().ID.ShouldNotBe(first.ID);
    }

    [Fact]
    public async Task Prewarm_StartsContainersAhead_SoTheFirstCallIsWarm()
    {
        await using var harness = new InvokerHarness();
        var action = new Polyarch.Invoker.Actions.ActionDefinition
        {
            Name = "prewarmed",
            Image = fixture.EchoImage,
            Prewarm = 2,
            Placement = new Polyarch.Invoker.Actions.ActionPlacement { Required = ["linux/amd64"] },
        };
        await harness.Actions.PutAsync(action, CancellationToken.None);

        await harness.Invoker.PrewarmAsync(action, CancellationToken.None);
        var containers = await harness.ContainersAsync();
        var record = await harness.Invoker.InvokeAsync(new InvocationRequest("prewarmed", []), CancellationToken.None);

        containers.Count.ShouldBe(2);
        record.Cold.ShouldBeFalse();
        record.Status.ShouldBe(ActivationStatus.Success);
        (await harness.ContainersAsync()).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Janitor_RemovesContainersAnEarlierRunOfTheInstanceLeft()
    {
        await using var earlier = new InvokerHarness();
        await earlier.Invoker.InvokeAsync(new InvocationRequest(fixture.EchoImage, [], "linux/amd64"), CancellationToken.None);
        (await earlier.ContainersAsync()).Count.ShouldBe(1);

        var removed = await earlier.Janitor.RemoveInstanceLeftoversAsync(earlier.InstanceId, CancellationToken.None);

        removed.ShouldBe(1);
        (await earlier.ContainersAsync()).ShouldBeEmpty();
    }

    [Fact]
    public async Task Dispose_RemovesWarmContainers()
    {
        var harness = new InvokerHarness();
        await harness.Invoker.InvokeAsync(new InvocationRequest(fixture.EchoImage, [], "linux/amd64"), CancellationToken.None);

        await harness.Pool.DisposeAsync();

        (await harness.ContainersLeftAfterCleanupAsync()).ShouldBe(0);
        await harness.DisposeAsync();
    }
}

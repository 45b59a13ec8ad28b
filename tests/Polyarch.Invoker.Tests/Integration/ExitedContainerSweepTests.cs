using Docker.DotNet.Models;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>Containers of the running instance that exited behind its back are swept (and leave the warm pool) while it runs.</summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ExitedContainerSweepTests(InvokerEngineFixture fixture)
{
    [Fact]
    public async Task A_warm_container_killed_behind_the_invokers_back_is_swept_and_the_next_invocation_gets_a_new_one()
    {
        // The pool's own idle check is an hour away: only the sweep can notice the kill before the next invocation.
        await using var harness = new InvokerHarness(new Dictionary<string, string?>
        {
            ["Docker:ExitedSweepInterval"] = "00:00:00.300",
            ["WarmPool:SweepInterval"] = "01:00:00",
        });
        await harness.Actions.PutAsync(new ActionDefinition { Name = "echo", Image = fixture.EchoImage, MemoryMb = 64 }, CancellationToken.None);
        var first = await harness.Invoker.InvokeAsync(new InvocationRequest("echo", [], "linux/amd64"), CancellationToken.None);
        var warm = (await harness.ContainersAsync()).Single();
        using var docker = ContainerHost.CreateDockerClient();
        var foreign = await StartForeignContainerAsync(docker, $"{fixture.EchoImage[..fixture.EchoImage.LastIndexOf(':')]}@{first.ChildDigest}");
        await harness.Sweeper.StartAsync(CancellationToken.None);
        try
        {
            await docker.Containers.KillContainerAsync(warm.ID, new ContainerKillParameters());

            var left = await WaitForNoContainersAsync(harness);
            var poolSize = harness.Pool.Total;
            var next = await harness.Invoker.InvokeAsync(new InvocationRequest("echo", [], "linux/amd64"), CancellationToken.None);

            left.ShouldBe(0, "the killed warm container is still on the engine");
            poolSize.ShouldBe(0);
            next.Status.ShouldBe(ActivationStatus.Success, next.Result?.ToJsonString());
            next.Cold.ShouldBeTrue();
            (await harness.ContainersAsync()).Single().ID.ShouldNotBe(warm.ID);
            // Another instance's exited container is not this instance's to sweep.
            var foreignState = (await docker.Containers.InspectContainerAsync(foreign)).State;
            foreignState.ShouldNotBeNull();
            foreignState.Status.ShouldBe("exited");
        }
        finally
        {
            await harness.Sweeper.StopAsync(CancellationToken.None);
            await docker.Containers.RemoveContainerAsync(foreign, new ContainerRemoveParameters { Force = true });
        }
    }

    [Fact]
    public async Task Containers_killed_while_the_engine_was_away_are_swept_once_it_is_back()
    {
        var socket = Path.Combine(Directory.CreateTempSubdirectory("engine-relay-").FullName, "docker.sock");
        var relay = EngineRelay.Start(socket);
        await using var harness = new InvokerHarness(new Dictionary<string, string?>
        {
            ["Docker:Endpoint"] = relay.Endpoint,
            ["Docker:ExitedSweepInterval"] = "00:00:00.300",
            ["WarmPool:SweepInterval"] = "00:00:00.200",
        });
        try
        {
            await harness.Actions.PutAsync(new ActionDefinition { Name = "echo", Image = fixture.EchoImage, MemoryMb = 64 }, CancellationToken.None);
            await harness.Invoker.InvokeAsync(new InvocationRequest("echo", [], "linux/amd64"), CancellationToken.None);
            var warm = (await harness.ContainersAsync()).Single();
            await harness.Sweeper.StartAsync(CancellationToken.None);

            // An engine restart as the invoker sees it: the engine goes away, its containers die, it comes back.
            await relay.DisposeAsync();
            using (var docker = ContainerHost.CreateDockerClient())
            {
                await docker.Containers.KillContainerAsync(warm.ID, new ContainerKillParameters());
            }

            // Meanwhile the pool finds its container dead and cannot remove it: the engine does not answer.
            await Task.Delay(TimeSpan.FromSeconds(2));
            relay = EngineRelay.Start(socket);

            var left = await WaitForNoContainersAsync(harness);
            var next = await harness.Invoker.InvokeAsync(new InvocationRequest("echo", [], "linux/amd64"), CancellationToken.None);

            left.ShouldBe(0, "the container killed with the engine is still there");
            next.Status.ShouldBe(ActivationStatus.Success, next.Result?.ToJsonString());
            next.Cold.ShouldBeTrue();
        }
        finally
        {
            await harness.Sweeper.StopAsync(CancellationToken.None);
            await relay.DisposeAsync();
        }
    }

    private static async Task<int> WaitForNoContainersAsync(InvokerHarness harness)
    {
        for (var i = 0; i < 100; i++)
        {
            if ((await harness.ContainersAsync()).Count == 0)
            {
                return 0;
            }

            await Task.Delay(100);
        }

        return (await harness.ContainersAsync()).Count;
    }

    private static async Task<string> StartForeignContainerAsync(Docker.DotNet.DockerClient docker, string image)
    {
        var labels = new Dictionary<string, string>(TestRun.Labels)
        {
            [ImageLabels.Managed] = "true",
            [ImageLabels.Instance] = $"t{TestRun.Id}-someone-else",
        };
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = image,
            Labels = labels,
            HostConfig = new HostConfig { NetworkMode = "none" },
        });
        await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
        await docker.Containers.KillContainerAsync(created.ID, new ContainerKillParameters());
        return created.ID;
    }
}

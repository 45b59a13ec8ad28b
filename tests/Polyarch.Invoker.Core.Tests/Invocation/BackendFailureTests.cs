using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Testing.Fakes;

namespace Polyarch.Invoker.Core.Tests.Invocation;

/// <summary>The core knows no backend: which exceptions are the backend's own failures is the backend's answer.</summary>
public sealed class BackendFailureTests
{
    private const string Image = "127.0.0.1:5000/demo/echo:latest";

    [Fact]
    public async Task An_exception_the_backend_calls_its_own_failure_is_a_system_error_record()
    {
        var backend = Backend();
        backend.Run = _ => throw new EngineGoneException("the engine went away");
        backend.Failure = e => e is EngineGoneException;
        var activations = new MemoryActivations();

        var record = await Invoker(backend, activations).InvokeAsync(new InvocationRequest(Image, []), CancellationToken.None);

        record.Status.ShouldBe(ActivationStatus.SystemError);
        record.Result!["error"]!.ToString().ShouldContain("the engine went away");
        activations.Records.ShouldContainKey(record.ActivationId);
    }

    [Fact]
    public async Task An_exception_the_backend_does_not_claim_is_not_swallowed()
    {
        var backend = Backend();
        backend.Run = _ => throw new EngineGoneException("a bug");

        await Should.ThrowAsync<EngineGoneException>(() => Invoker(backend, new MemoryActivations()).InvokeAsync(new InvocationRequest(Image, []), CancellationToken.None));
    }

    private static ScriptedBackend Backend() =>
        new(new BackendInventory("scripted", "node1", [new("linux/amd64", false)], Gpus: 0, MemoryBytes: 8L << 30, Cpus: 4));

    private static ActionInvoker Invoker(ScriptedBackend backend, MemoryActivations activations) => new(
        new MemoryActions(),
        activations,
        new FixedCatalog(new ImageVariants(Image, "127.0.0.1:5000/demo/echo", "sha256:index", [new VariantInfo("linux/amd64", "sha256:amd64", new Dictionary<string, string>())])),
        backend,
        new FakeTimeProvider(),
        Options.Create(new InvokerOptions()),
        NullLogger<ActionInvoker>.Instance);

    private sealed class EngineGoneException(string message) : Exception(message);
}

using Docker.DotNet;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>The single-machine backend: the local Docker engine, native plus QEMU-emulated platforms.</summary>
internal sealed class DockerBackend(DockerInventoryProvider inventory, DockerHttpRunner http, DockerExecRunner exec) : IActionBackend
{
    public string Name => "docker";

    public Task<BackendInventory> GetInventoryAsync(CancellationToken cancellationToken) => inventory.GetAsync(cancellationToken);

    public Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken) =>
        context.Protocol == ActionProtocol.Exec ? exec.RunAsync(context, cancellationToken) : http.RunAsync(context, cancellationToken);

    public Task PrewarmAsync(ActivationContext context, int count, CancellationToken cancellationToken) =>
        context.Protocol == ActionProtocol.Exec ? Task.CompletedTask : http.PrewarmAsync(context, count, cancellationToken);

    /// <inheritdoc />
    public bool IsBackendFailure(Exception exception) => exception is DockerApiException or ImagePullException;
}

using Microsoft.Extensions.Options;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry.Notifications;

namespace Polyarch.Invoker.Hosting;

/// <summary>
/// At start-up of `serve`: remove containers an earlier run of this instance left, read the backend's inventory, then
/// warm up the push path (its registry reads go on in the background), then prewarm actions.
/// </summary>
internal sealed partial class InvokerStartup(
    DockerJanitor janitor,
    IActionBackend backend,
    IActionStore actions,
    ActionInvoker invoker,
    PushPathWarmUp pushPath,
    IOptions<InvokerOptions> options,
    ILogger<InvokerStartup> logger) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private Task _registryWarmUp = Task.CompletedTask;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var removed = await janitor.RemoveInstanceLeftoversAsync(options.Value.InstanceId, cancellationToken);
        LogCleanedUp(removed, options.Value.InstanceId);

        // Read once and cached, the inventory (Docker: the engine's GET /info, 0.1–0.5 s measured here) would otherwise be
        // read on the first activation's path: the first push's event → start (P7, issue 18) waited for it. A backend that
        // does not answer yet is not fatal here: the first activation asks again and reports it.
        try
        {
            var inventory = await backend.GetInventoryAsync(cancellationToken);
            LogInventory(backend.Name, inventory.Platforms.Count);
            WarmUpPushPath(inventory);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogInventoryDeferred(exception, backend.Name);
        }

        // The push path's database steps, compiled before the first push (and before /readyz answers: hosted services
        // start before the server does).
        await pushPath.WarmUpAsync(cancellationToken);

        // The registry reads in the background: a registry that is down costs start-up nothing (its client would retry for
        // seconds), and a push that comes meanwhile shares what is already compiled and connected.
        _registryWarmUp = Task.Run(() => pushPath.WarmUpRegistriesAsync(_stopping.Token), CancellationToken.None);

        foreach (var action in await actions.ListAsync(cancellationToken))
        {
            try
            {
                await invoker.PrewarmAsync(action, cancellationToken);
            }
            catch (InvokerException exception)
            {
                LogPrewarmFailed(exception, action.Name);
            }
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        try
        {
            await _registryWarmUp.WaitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-read: nothing was written.
        }
    }

    public void Dispose() => _stopping.Dispose();

    /// <summary>
    /// Runs the first push's pure steps once on made-up input — the notification parser and reducer, placement — so they are
    /// compiled now rather than on that push's clock (first-call JIT: 0.1–0.3 s each measured here on a loaded machine).
    /// </summary>
    private static void WarmUpPushPath(BackendInventory inventory)
    {
        const string Digest = "sha256:0000000000000000000000000000000000000000000000000000000000000000";
        _ = PushReducer.Reduce(RegistryNotificationParser.Parse(
            $$$"""{"events":[{"id":"warm-up","timestamp":"2026-01-01T00:00:00Z","action":"push","target":{"mediaType":"application/vnd.oci.image.index.v1+json","size":1,"digest":"{{{Digest}}}","repository":"warm-up/warm-up","tag":"warm-up"},"request":{"host":"127.0.0.1:5000","method":"PUT"}}]}""",
            "application/vnd.docker.distribution.events.v1+json"));
        var image = new ImageVariants("127.0.0.1:5000/warm-up/warm-up", "127.0.0.1:5000/warm-up/warm-up", Digest,
            [.. inventory.Platforms.Select(p => new VariantInfo(p.Platform, Digest, new Dictionary<string, string>()))]);
        _ = PlacementEngine.Rank(image, inventory, PlacementRequest.For(ActionDefinition.ForImage(image.Image), null));
    }

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Removed {Count} leftover containers of instance {InstanceId}")]
    private partial void LogCleanedUp(int count, string instanceId);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Debug, Message = "Read the {Backend} backend's inventory at start-up: {Count} platforms")]
    private partial void LogInventory(string backend, int count);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "Could not read the {Backend} backend's inventory at start-up; the first activation reads it again")]
    private partial void LogInventoryDeferred(Exception exception, string backend);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Could not prewarm {Action}")]
    private partial void LogPrewarmFailed(Exception exception, string action);
}

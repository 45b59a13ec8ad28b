using Microsoft.Extensions.Options;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Hosting;

/// <summary>At start-up of `serve`: remove containers an earlier run of this instance left, then prewarm actions.</summary>
internal sealed partial class InvokerStartup(
    DockerJanitor janitor,
    IActionStore actions,
    ActionInvoker invoker,
    IOptions<InvokerOptions> options,
    ILogger<InvokerStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var removed = await janitor.RemoveInstanceLeftoversAsync(options.Value.InstanceId, cancellationToken);
        LogCleanedUp(removed, options.Value.InstanceId);
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

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Removed {Count} leftover containers of instance {InstanceId}")]
    private partial void LogCleanedUp(int count, string instanceId);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Warning, Message = "Could not prewarm {Action}")]
    private partial void LogPrewarmFailed(Exception exception, string action);
}

using System.Text;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>The exec protocol: one container per activation, params as the last argument and on stdin, last stdout line = result.</summary>
internal sealed class DockerExecRunner(
    DockerClientProvider docker,
    DockerImagePuller puller,
    IOptions<DockerBackendOptions> dockerOptions,
    IOptions<InvokerOptions> invokerOptions,
    TimeProvider timeProvider)
{
    private readonly DockerBackendOptions _options = dockerOptions.Value;
    private readonly InvokerOptions _invoker = invokerOptions.Value;

    public async Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var client = docker.Client;
        var variant = context.Decision.Variant;
        await puller.EnsureAsync(context.Image.RepositoryName, variant.Digest, variant.Platform, cancellationToken);

        var paramsJson = context.Params.ToJsonString();
        var spec = ContainerSpecFactory.Create(context, _options, _invoker.InstanceId, [paramsJson]);
        var created = await client.Containers.CreateContainerAsync(spec, cancellationToken);
        var logs = new BoundedLog(_invoker.MaxLogBytes);
        var stdout = new LastLineCollector(_invoker.MaxResultBytes, logs);
        try
        {
            using var stream = await client.Containers.AttachContainerAsync(
                created.ID,
                new ContainerAttachParameters { Stream = true, Stdin = true, Stdout = true, Stderr = true },
                cancellationToken);
            var pump = OutputPump.PumpAsync(stream, logs, chunk => stdout.Write(chunk.Span), stdoutLog: null, CancellationToken.None);

            try
            {
                await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            }
            catch (DockerApiException exception) when (OutcomeClassifier.StartFailure(exception.Message) is { } failure)
            {
                return Finish(failure, logs, started, TimeSpan.Zero);
            }

            var waitStarted = timeProvider.GetTimestamp();
            var init = timeProvider.GetElapsedTime(started);
            await WriteStdinAsync(stream, paramsJson, cancellationToken);

            var timedOut = false;
            using var timeoutTimer = new CancellationTokenSource(Span(context.Action.TimeoutMs), timeProvider);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutTimer.Token))
            {
                try
                {
                    await client.Containers.WaitContainerAsync(created.ID, timeout.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    timedOut = true;
                    await KillQuietlyAsync(client, created.ID);
                }
            }

            await DrainAsync(pump, stream);
            var run = timeProvider.GetElapsedTime(waitStarted);
            var state = (await client.Containers.InspectContainerAsync(created.ID, CancellationToken.None)).State ?? new Docker.DotNet.Models.State();
            var outcome = Classify(context, timedOut, state, stdout, logs);
            return Finish(outcome, logs, started, init, run);
        }
        finally
        {
            await RemoveQuietlyAsync(client, created.ID);
        }
    }

    private Outcome Classify(ActivationContext context, bool timedOut, Docker.DotNet.Models.State state, LastLineCollector stdout, BoundedLog logs)
    {
        if (timedOut)
        {
            return OutcomeClassifier.Timeout(context.Action.TimeoutMs);
        }

        if (state.OOMKilled)
        {
            return OutcomeClassifier.FromContainerExit(oomKilled: true, state.ExitCode, (int)(context.Decision.Requirements.MemoryBytes >> 20), null);
        }

        // An over-limit result is reported as such whatever the exit code: the action did answer, too much. (The
        // engine can end a container that is still writing its last bytes with 137 before the attach stream drains.)
        var (line, exceeded) = stdout.Complete();
        if (state.ExitCode != 0 && !exceeded)
        {
            return OutcomeClassifier.FromContainerExit(oomKilled: false, state.ExitCode, (int)(context.Decision.Requirements.MemoryBytes >> 20), logs.Tail(20) + state.Error);
        }

        return OutcomeClassifier.FromResponse(line, okStatus: true, exceeded, _invoker.MaxResultBytes);
    }

    /// <summary>Lets the pump read what the engine still holds (bounded), then ends it by closing the stream.</summary>
    private async Task DrainAsync(Task pump, MultiplexedStream stream)
    {
        if (await Task.WhenAny(pump, Task.Delay(TimeSpan.FromSeconds(2), timeProvider, CancellationToken.None)) != pump)
        {
            stream.Dispose();
            await Task.WhenAny(pump, Task.Delay(TimeSpan.FromSeconds(1), timeProvider, CancellationToken.None));
        }
    }

    private BackendRun Finish(Outcome outcome, BoundedLog logs, long started, TimeSpan init, TimeSpan run = default)
    {
        var (lines, truncated) = logs.Drain();
        if (run == default)
        {
            run = timeProvider.GetElapsedTime(started) - init;
        }

        return new BackendRun(outcome.Status, outcome.Result, lines, truncated || outcome.Truncated, Cold: true, TimeSpan.Zero, init, run);
    }

    private static async Task WriteStdinAsync(MultiplexedStream stream, string paramsJson, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = Encoding.UTF8.GetBytes(paramsJson + "\n");
            await stream.WriteAsync(bytes, 0, bytes.Length, cancellationToken);
            stream.CloseWrite();
        }
        catch (IOException)
        {
            // The action exited without reading stdin: fine, the params were also its last argument.
        }
    }

    private static async Task KillQuietlyAsync(DockerClient client, string id)
    {
        try
        {
            await client.Containers.KillContainerAsync(id, new ContainerKillParameters { Signal = "SIGKILL" }, CancellationToken.None);
        }
        catch (DockerApiException)
        {
        }
    }

    private static async Task RemoveQuietlyAsync(DockerClient client, string id)
    {
        try
        {
            await client.Containers.RemoveContainerAsync(id, new ContainerRemoveParameters { Force = true }, CancellationToken.None);
        }
        catch (DockerApiException)
        {
        }
    }

    // Milliseconds (an action's limit) or a TimeSpan (an option) as a TimeSpan for the provider's timers.
    private static TimeSpan Span(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static TimeSpan Span(TimeSpan span) => span;
}

using System.Globalization;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Placement;
using Polyarch.Invoker.Pool;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>
/// The http protocol: a container from the warm pool (or a new one: create, start, POST /init until it answers),
/// then POST /run. The warm path is one HTTP call — no engine API call.
/// </summary>
internal sealed class DockerHttpRunner(
    DockerClientProvider docker,
    DockerImagePuller puller,
    WarmPool pool,
    ActionHttpClient http,
    IOptions<DockerBackendOptions> dockerOptions,
    IOptions<InvokerOptions> invokerOptions,
    TimeProvider timeProvider)
{
    private readonly DockerBackendOptions _options = dockerOptions.Value;
    private readonly InvokerOptions _invoker = invokerOptions.Value;

    public async Task<BackendRun> RunAsync(ActivationContext context, CancellationToken cancellationToken)
    {
        var key = PoolKey.For(context);
        for (var attempt = 0; ; attempt++)
        {
            PoolLease lease;
            try
            {
                lease = await pool.AcquireAsync(key, ct => StartAsync(context, ct), cancellationToken);
            }
            catch (ActionStartException failure)
            {
                return new BackendRun(failure.Outcome.Status, failure.Outcome.Result, failure.Logs, failure.LogsTruncated, Cold: true, TimeSpan.Zero, failure.Init, TimeSpan.Zero);
            }

            var container = (DockerActionContainer)lease.Container;
            var init = lease.Cold ? container.InitDuration : TimeSpan.Zero;
            var wait = lease.Wait - init;
            if (!lease.Cold)
            {
                container.Logs.Drain();
            }

            RunAttempt result;
            IReadOnlyList<string> logs;
            bool truncated;
            try
            {
                result = await RunOnceAsync(context, container, cancellationToken);
                if (result.Retry && !lease.Cold && attempt == 0)
                {
                    // A warm container that refuses connections died (engine restart, crash while idle): replace it.
                    pool.Release(lease, reusable: false, "it refused the connection");
                    continue;
                }

                (logs, truncated) = await ActivationLogsAsync(context, container, result, cancellationToken);
            }
            catch (Exception exception)
            {
                // Cancelled (a workflow step's timeout, a stopping invoker) or broken mid-answer: the action may still
                // be running in it, so the container is removed and its pool slot freed — never handed to the next
                // activation, never held for ever (OpenWhisk destroys a container whose run did not end cleanly).
                container.MarkDead();
                pool.Release(lease, reusable: false, exception is OperationCanceledException ? "its activation was cancelled" : $"its activation failed ({exception.GetType().Name})");
                throw;
            }

            pool.Release(lease, reusable: result.Reusable, result.Reusable ? null : result.DiscardReason);
            return new BackendRun(result.Outcome.Status, result.Outcome.Result, logs, truncated || result.Outcome.Truncated, lease.Cold, wait < TimeSpan.Zero ? TimeSpan.Zero : wait, init, result.Run);
        }
    }

    /// <summary>
    /// The activation's lines. A runtime that prints OpenWhisk's sentinel after each activation gets its lines cut at the
    /// sentinels — waited for up to Docker:LogSentinelWait once /run answered — so a line printed after the answer is
    /// still this activation's and the next activation's lines are never in it. A container that does not print it
    /// (any blackbox image, or a code runtime that waited in vain once) keeps the plain drain.
    /// </summary>
    private async Task<(IReadOnlyList<string> Lines, bool Truncated)> ActivationLogsAsync(ActivationContext context, DockerActionContainer container, RunAttempt result, CancellationToken cancellationToken)
    {
        var expects = !container.PrintsNoSentinel && (container.Logs.SentinelsSeen > 0 || context.Action.Code is not null);
        if (!expects || !result.Reusable)
        {
            return container.Logs.Drain();
        }

        if (!await container.Logs.WaitForActivationEndAsync(_options.LogSentinelWait, timeProvider, cancellationToken) && container.Logs.SentinelsSeen == 0)
        {
            container.PrintsNoSentinel = true;
            return container.Logs.Drain();
        }

        return container.Logs.DrainActivation();
    }

    public async Task PrewarmAsync(ActivationContext context, int count, CancellationToken cancellationToken)
    {
        var key = PoolKey.For(context);
        var leases = new List<PoolLease>();
        try
        {
            // A key holds at most MaxContainersPerKey containers: asking for more would wait for ever.
            count = Math.Min(count, pool.MaxContainersPerKey);
            for (var i = 0; i < count && pool.IdleCount(key) + leases.Count < count; i++)
            {
                leases.Add(await pool.AcquireAsync(key, ct => StartAsync(context, ct), cancellationToken));
            }
        }
        finally
        {
            foreach (var lease in leases)
            {
                pool.Release(lease, reusable: true);
            }
        }
    }

    private async Task<RunAttempt> RunOnceAsync(ActivationContext context, DockerActionContainer container, CancellationToken cancellationToken)
    {
        var payload = ActionHttpClient.RunPayload(context.Params, context.Action.Name, context.ActivationId, context.Deadline);
        var started = timeProvider.GetTimestamp();
        using var timeoutTimer = new CancellationTokenSource(Span(context.Action.TimeoutMs), timeProvider);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutTimer.Token);
        try
        {
            var response = await http.RunAsync(container.BaseUri, payload, _invoker.MaxAnswerBytes, timeout.Token);
            var run = timeProvider.GetElapsedTime(started);
            var outcome = response.Exceeded
                ? OutcomeClassifier.AnswerTooLarge(_invoker)
                : OutcomeClassifier.FromResponse(response.Body, response.IsOk, exceeded: false, _invoker.MaxAnswerBytes);
            var reusable = response.IsOk && !response.Exceeded;
            return new RunAttempt(outcome, run, reusable, Retry: false, reusable ? null : $"/run answered {response.StatusCode}{(response.Exceeded ? " over the answer limit" : "")}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            container.MarkDead();
            return new RunAttempt(OutcomeClassifier.Timeout(context.Action.TimeoutMs), timeProvider.GetElapsedTime(started), Reusable: false, Retry: false, "its activation timed out");
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            // HttpRequestException: no answer (refused, reset before the headers); IOException: the answer broke off
            // after its headers (HttpIOException "the response ended prematurely").
            container.MarkDead();
            var run = timeProvider.GetElapsedTime(started);
            if (exception.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
            {
                // Never delivered: safe to retry on a new container.
                return new RunAttempt(OutcomeClassifier.SystemError($"The warm container {container.Id[..12]} refused the connection: {exception.Message}"), run, Reusable: false, Retry: true, "it refused the connection");
            }

            return new RunAttempt(await ClassifyBrokenAsync(context, container, exception), run, Reusable: false, Retry: false, "its connection broke during the activation");
        }
    }

    private async Task<Outcome> ClassifyBrokenAsync(ActivationContext context, DockerActionContainer container, Exception exception)
    {
        ContainerInspectResponse? inspect;
        try
        {
            // The connection broke: the container may be on its way down (crash, OOM kill) — give it up to three
            // seconds (a loaded engine is slow to reap) to say so. The action's process can also die alone (a proxy
            // may fork per connection or per request); then the container keeps running and this costs those seconds.
            inspect = await container.InspectAsync(CancellationToken.None);
            for (var i = 0; i < 30 && inspect?.State is { Running: true, OOMKilled: false }; i++)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeProvider, CancellationToken.None);
                inspect = await container.InspectAsync(CancellationToken.None);
            }
        }
        catch (Exception engine) when (engine is DockerApiException or HttpRequestException or IOException or SocketException or TimeoutException)
        {
            return OutcomeClassifier.SystemError($"The activation lost its container and the Docker engine does not answer ({engine.Message}). Check `docker info`.");
        }

        var memoryMb = (int)(context.Decision.Requirements.MemoryBytes >> 20);
        if (inspect is null)
        {
            return OutcomeClassifier.SystemError($"The container {container.Id[..12]} disappeared during the activation ({exception.Message}).");
        }

        var state = inspect.State ?? new Docker.DotNet.Models.State();
        if (state.OOMKilled || !state.Running)
        {
            return OutcomeClassifier.FromContainerExit(state.OOMKilled, state.ExitCode, memoryMb, container.Logs.Tail(20));
        }

        return new Outcome(ActivationStatus.DeveloperError, new JsonObject { ["error"] = $"The action's proxy closed the connection without an answer: {exception.Message}" });
    }

    private async Task<IWarmContainer> StartAsync(ActivationContext context, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var client = docker.Client;
        var variant = context.Decision.Variant;
        await puller.EnsureAsync(context.Image.RepositoryName, variant.Digest, variant.Platform, cancellationToken);
        var created = await client.Containers.CreateContainerAsync(ContainerSpecFactory.Create(context, _options, _invoker.InstanceId, null), cancellationToken);
        var container = new DockerActionContainer(client, created.ID, new BoundedLog(_invoker.MaxLogBytes));
        try
        {
            var stream = await client.Containers.AttachContainerAsync(created.ID, new ContainerAttachParameters { Stream = true, Stdout = true, Stderr = true }, cancellationToken);
            container.StartPump(stream);
            try
            {
                await client.Containers.StartContainerAsync(created.ID, new ContainerStartParameters(), cancellationToken);
            }
            catch (DockerApiException exception) when (OutcomeClassifier.StartFailure(exception.Message) is { } failure)
            {
                throw Failed(container, failure, started);
            }

            var inspect = await client.Containers.InspectContainerAsync(created.ID, cancellationToken);
            var port = $"{context.Port.ToString(CultureInfo.InvariantCulture)}/tcp";
            if (inspect.NetworkSettings?.Ports is not { } ports || !ports.TryGetValue(port, out var bindings) || bindings is not { Count: > 0 })
            {
                throw Failed(container, await ExitOutcomeAsync(context, container, "the container published no port"), started);
            }

            container.BaseUri = new Uri($"http://{_options.HostAddress}:{bindings[0].HostPort}/");
            await InitAsync(context, container, started, cancellationToken);
            container.InitDuration = timeProvider.GetElapsedTime(started);
            return container;
        }
        catch
        {
            await container.DisposeAsync();
            throw;
        }
    }

    private async Task InitAsync(ActivationContext context, DockerActionContainer container, long started, CancellationToken cancellationToken)
    {
        var payload = ActionHttpClient.InitPayload(context.Action.Name, context.Action.Environment, context.Action.Code, _invoker.MaxFilesBytes);
        var delay = TimeSpan.FromMilliseconds(2);
        var attempts = 0;
        while (true)
        {
            attempts++;
            try
            {
                using var attemptTimer = new CancellationTokenSource(Span(_options.InitTimeout), timeProvider);
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, attemptTimer.Token);
                var response = await http.InitAsync(container.BaseUri, payload, _invoker.MaxResultBytes, attempt.Token);
                if (response.IsOk)
                {
                    return;
                }

                // The runtime's own message (502 {"error": "…line 3…"} for code that does not load) is the init error.
                await container.SettleLogsAsync(TimeSpan.FromMilliseconds(100), timeProvider);
                throw Failed(container, OutcomeClassifier.FromInitResponse(response.StatusCode, response.Body), started);
            }
            catch (HttpRequestException) when (timeProvider.GetElapsedTime(started) < _options.InitTimeout)
            {
                // Not listening yet (the loopback proxy accepts and closes until the action listens).
                if (attempts % 20 == 0 && await container.InspectAsync(cancellationToken) is { State.Running: false })
                {
                    throw Failed(container, await ExitOutcomeAsync(context, container, "the container exited before answering /init"), started);
                }

                await Task.Delay(delay, timeProvider, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10));
            }
            catch (HttpRequestException exception)
            {
                throw Failed(container, OutcomeClassifier.InitFailed($"no answer on {container.BaseUri} within {_options.InitTimeout.TotalSeconds:0} s ({exception.Message})"), started);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Failed(container, OutcomeClassifier.InitFailed($"/init did not answer within {_options.InitTimeout.TotalSeconds:0} s"), started);
            }
        }
    }

    private async Task<Outcome> ExitOutcomeAsync(ActivationContext context, DockerActionContainer container, string what)
    {
        await container.SettleLogsAsync(TimeSpan.FromMilliseconds(200), timeProvider);
        var inspect = await container.InspectAsync(CancellationToken.None);
        var state = inspect?.State;
        if (state is null)
        {
            return OutcomeClassifier.InitFailed(what);
        }

        return OutcomeClassifier.FromContainerExit(state.OOMKilled, state.ExitCode, (int)(context.Decision.Requirements.MemoryBytes >> 20), container.Logs.Tail(20) + state.Error);
    }

    private ActionStartException Failed(DockerActionContainer container, Outcome outcome, long started)
    {
        container.MarkDead();
        var (logs, truncated) = container.Logs.Drain();
        return new ActionStartException(outcome, logs, truncated, timeProvider.GetElapsedTime(started));
    }

    private sealed record RunAttempt(Outcome Outcome, TimeSpan Run, bool Reusable, bool Retry, string? DiscardReason);

    // Milliseconds (an action's limit) or a TimeSpan (an option) as a TimeSpan for the provider's timers.
    private static TimeSpan Span(int milliseconds) => TimeSpan.FromMilliseconds(milliseconds);

    private static TimeSpan Span(TimeSpan span) => span;
}

using System.Diagnostics;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Telemetry;

namespace Polyarch.Builder.Builds;

/// <summary>
/// Verifies each target's index as soon as BuildKit reports it pushed (<see cref="PushedIndex"/>), while the bake still
/// runs: the cache export and, with buildx's docker driver, the engine's second push of the same image take another
/// 0.1–0.4 s, and the read-back (index, then every platform's manifest and config) is done by the time the bake exits.
/// </summary>
/// <remarks>
/// Only a verification of exactly the digest bake's metadata then names is used, and only one that succeeded: one that
/// failed (say, a read that met the registry mid-write) or of another digest (a retried bake) is simply done again after
/// the bake, as it always was — so reading early can make a build faster, never fail it or let a different index pass.
/// The verification only reads; nothing is tagged or annotated before the bake has succeeded.
/// </remarks>
internal sealed class EarlyVerifications : IDisposable
{
    private readonly IImagePublisher _publisher;
    private readonly BakeInvocation _invocation;
    private readonly ActivityContext _parent;
    private readonly CancellationToken _buildCancelled;
    private readonly CancellationTokenSource _cancel;
    private readonly Dictionary<string, string> _repositories;
    private readonly Dictionary<(string Repository, string Digest), Task<VerifiedImage>> _started = [];
    private readonly Lock _gate = new();

    /// <param name="publisher">Reads the index back, as after the bake.</param>
    /// <param name="invocation">The bake: its targets' staging references, the registry and the platforms to verify.</param>
    /// <param name="parent">The build's span: each early verification is a child span of it (not of the bake).</param>
    /// <param name="cancellationToken">The build's: cancels every verification still running.</param>
    public EarlyVerifications(IImagePublisher publisher, BakeInvocation invocation, ActivityContext parent, CancellationToken cancellationToken)
    {
        _publisher = publisher;
        _invocation = invocation;
        _parent = parent;
        _buildCancelled = cancellationToken;
        _cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _repositories = invocation.Definition.Targets.ToDictionary(t => BakeArguments.StagingReference(invocation, t), t => t.Repository, StringComparer.Ordinal);
    }

    /// <summary>For <see cref="BakeRunner.RunAsync"/>: starts verifying an index of one of the bake's targets (once per digest).</summary>
    public void OnIndexPushed(PushedIndex pushed)
    {
        ArgumentNullException.ThrowIfNull(pushed);
        if (!_repositories.TryGetValue(pushed.Reference, out var repository))
        {
            return; // Not one of this bake's staging tags.
        }

        lock (_gate)
        {
            if (!_cancel.IsCancellationRequested && !_started.ContainsKey((repository, pushed.Digest)))
            {
                // Off the thread reading bake's output: that reader must not wait for the registry.
                _started[(repository, pushed.Digest)] = Task.Run(() => VerifyAsync(repository, pushed.Digest));
            }
        }
    }

    /// <summary>The early verification of <paramref name="digest"/> in <paramref name="repository"/> if one was started and succeeded (awaited if still running); otherwise null.</summary>
    public async Task<VerifiedImage?> TakeAsync(string repository, string digest)
    {
        Task<VerifiedImage>? verification;
        lock (_gate)
        {
            verification = _started.GetValueOrDefault((repository, digest));
        }

        if (verification is null)
        {
            return null;
        }

        try
        {
            return await verification.ConfigureAwait(false);
        }
        catch (Exception) when (!_buildCancelled.IsCancellationRequested)
        {
            return null; // Verified again after the bake; that answer stands.
        }
    }

    /// <summary>Cancels what is still running (a failed or cancelled bake); the failures nobody took are observed here.</summary>
    public void Dispose()
    {
        Task<VerifiedImage>[] started;
        lock (_gate)
        {
            _cancel.Cancel();
            started = [.. _started.Values];
        }

        // Disposed once nothing uses its token any more. Reading the combined task's failures observes every one of them
        // (WhenAll marks each failed task's exceptions handled as it gathers them).
        _ = Task.WhenAll(started).ContinueWith(
            all =>
            {
                _ = all.Exception;
                _cancel.Dispose();
            },
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task<VerifiedImage> VerifyAsync(string repository, string digest)
    {
        using var span = BuilderTelemetry.Source.StartActivity("verify while baking", ActivityKind.Internal, _parent);
        span?.SetTag("polyarch.image", $"{_invocation.Registry}/{repository}@{digest}");
        try
        {
            return await _publisher.VerifyAsync(_invocation.Registry, repository, digest, _invocation.Platforms, static _ => { }, _cancel.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            BuilderTelemetry.Fail(span, exception);
            throw;
        }
    }
}

using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Rules;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Triggers;

/// <summary>
/// Runs the database steps of a push's path once at start-up, writing nothing: the webhook's store transaction (empty),
/// the accepted registries and rules, the firing and pending-push look-ups, the activation look-up. Their first call
/// compiles the ADO.NET/SQLite code (and opens the pool) — on the first push's clock that was ~60 ms of the ~280 ms
/// measured from event to activation start (P7, issue 18). Then, off the start-up path, each accepted registry's two
/// HTTP clients (manifests, blobs) answer one read of something that is not there, so the first push does not build
/// their handler pipelines, compile them and open their first connections on its clock.
/// </summary>
internal sealed partial class PushPathWarmUp(
    PushStore pushes,
    FiringStore firings,
    IRuleStore rules,
    TriggerRegistries registries,
    IActivationStore activations,
    IRegistryClient registry,
    TimeProvider timeProvider,
    ILogger<PushPathWarmUp> logger)
{
    private const string Nothing = "warm-up/warm-up";

    // What the registry reads ask for: a repository and tag nobody pushes, and a blob whose digest no content has.
    private const string NothingRepository = "polyarch/warm-up";
    private static readonly Digest NothingBlob = Digest.Parse("sha256:" + new string('0', 64));

    /// <summary>The steps run by the last <see cref="WarmUpAsync"/>, in order (diagnostics and tests).</summary>
    public IReadOnlyList<string> Steps { get; private set; } = [];

    /// <summary>The registry reads run by the last <see cref="WarmUpRegistriesAsync"/>, in order (diagnostics and tests).</summary>
    public IReadOnlyList<string> RegistrySteps { get; private set; } = [];

    /// <summary>Runs each step once on input that matches nothing; a step that fails is logged and skipped.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var steps = new List<string>();
        await StepAsync(steps, "pushes.add", () => pushes.AddAsync([], "warm-up", cancellationToken), cancellationToken);
        await StepAsync(steps, "registries.list", () => registries.ListAsync(cancellationToken), cancellationToken);
        await StepAsync(steps, "pushes.pending", () => pushes.IsPendingAsync(Nothing, Nothing, Nothing, Nothing, cancellationToken), cancellationToken);
        await StepAsync(steps, "rules.list", () => rules.ListAsync(cancellationToken), cancellationToken);
        await StepAsync(steps, "firings.exists", () => firings.ExistsAsync(Nothing, Nothing, Nothing, cancellationToken), cancellationToken);
        await StepAsync(steps, "activations.get", () => activations.GetAsync(Nothing, cancellationToken), cancellationToken);
        Steps = steps;
        var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
        LogWarmedUp(steps.Count, elapsed);
    }

    /// <summary>
    /// Reads a manifest and a blob that do not exist (404, nothing written, nothing stored) from each accepted registry
    /// (Triggers:DefaultRegistry and those rules name). Meant to run in the background once <see cref="WarmUpAsync"/>
    /// returned: a registry that is down or refuses costs start-up nothing, and a read that fails is logged and skipped.
    /// </summary>
    public async Task WarmUpRegistriesAsync(CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        var steps = new List<string>();
        IReadOnlySet<string> accepted;
        try
        {
            accepted = await registries.ListAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogRegistryStepFailed(exception, "registries.list", "-");
            return;
        }

        foreach (var host in accepted.Order(StringComparer.OrdinalIgnoreCase))
        {
            if (!ImageReference.TryParse($"{host}/{NothingRepository}:warm-up", out var nothing, out _))
            {
                continue;
            }

            await RegistryStepAsync(steps, "manifest", host, () => registry.GetManifestAsync(nothing!, cancellationToken), cancellationToken);
            await RegistryStepAsync(steps, "blob", host, () => registry.GetBlobAsync(nothing!, NothingBlob, cancellationToken), cancellationToken);
        }

        RegistrySteps = steps;
        var elapsed = timeProvider.GetElapsedTime(started).TotalMilliseconds;
        LogRegistriesWarmedUp(steps.Count, elapsed);
    }

    // A registry that is down, refuses (auth) or is not one: the first push reads it anyway and reports what it finds then.
    private Task RegistryStepAsync(List<string> steps, string name, string host, Func<Task> step, CancellationToken cancellationToken) =>
        TryStepAsync(steps, $"{name} {host}", step, exception => LogRegistryStepFailed(exception, name, host), cancellationToken);

    private Task StepAsync(List<string> steps, string name, Func<Task> step, CancellationToken cancellationToken) =>
        TryStepAsync(steps, name, step, exception => LogStepFailed(exception, name), cancellationToken);

    /// <summary>Runs <paramref name="step"/>, adding <paramref name="name"/> to <paramref name="steps"/> when it succeeds; a failure is only reported.</summary>
    private static async Task TryStepAsync(List<string> steps, string name, Func<Task> step, Action<Exception> failed, CancellationToken cancellationToken)
    {
        try
        {
            await step();
            steps.Add(name);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A store or registry that does not answer yet is not fatal at start-up: the first push uses it again and reports it.
            failed(exception);
        }
    }

    [LoggerMessage(EventId = 7360, Level = LogLevel.Debug, Message = "Warmed up {Count} steps of the push path in {Milliseconds:F0} ms")]
    private partial void LogWarmedUp(int count, double milliseconds);

    [LoggerMessage(EventId = 7362, Level = LogLevel.Debug, Message = "Warmed up {Count} registry reads of the push path in {Milliseconds:F0} ms")]
    private partial void LogRegistriesWarmedUp(int count, double milliseconds);

    [LoggerMessage(EventId = 7363, Level = LogLevel.Debug, Message = "Could not warm up the {Step} read of registry {Registry}; the first push reads it cold")]
    private partial void LogRegistryStepFailed(Exception exception, string step, string registry);

    [LoggerMessage(EventId = 7361, Level = LogLevel.Warning, Message = "Could not warm up step {Step} of the push path at start-up; the first push runs it cold")]
    private partial void LogStepFailed(Exception exception, string step);
}

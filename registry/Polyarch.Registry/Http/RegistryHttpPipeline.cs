namespace Polyarch.Registry.Http;

/// <summary>How the registry HttpClients retry and time out.</summary>
public enum RegistryHttpPipeline
{
    /// <summary>
    /// The standard resilience handler (Microsoft.Extensions.Http.Resilience): retries with jittered backoff, per-attempt
    /// and total timeouts, one circuit breaker per registry, a concurrency limiter and telemetry. For long-running services.
    /// </summary>
    Standard,

    /// <summary>
    /// The same retries and timeouts (<see cref="Client.RegistryOptions"/>) without circuit breaker, limiter and telemetry:
    /// for a process that sends a few requests and exits (a CLI verb), where setting up the standard pipeline costs more
    /// than the requests (issue 18: about half of a one-shot <c>manifest inspect</c>).
    /// </summary>
    OneShot,
}

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Auth;
using Polyarch.Registry.Caching;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;
using Polyarch.Registry.Indexes;

namespace Polyarch.Registry;

/// <summary>Registers the registry client, the image resolver and their HttpClients.</summary>
public static class RegistryServiceCollectionExtensions
{
    /// <summary>Adds <see cref="IRegistryClient"/>, <see cref="IImageResolver"/>, <see cref="IIndexAssembler"/>, <see cref="IArtifactStore"/> and <see cref="IRegistryCredentials"/> (singletons) with validated <see cref="RegistryOptions"/>.</summary>
    public static IServiceCollection AddPolyarchRegistry(this IServiceCollection services, Action<RegistryOptions>? configure = null) =>
        AddPolyarchRegistry(services, configure, RegistryHttpPipeline.Standard);

    /// <summary>
    /// Adds <see cref="IRegistryClient"/>, <see cref="IImageResolver"/>, <see cref="IIndexAssembler"/>, <see cref="IArtifactStore"/> and <see cref="IRegistryCredentials"/>
    /// (singletons) with validated <see cref="RegistryOptions"/>, their HttpClients retrying and timing out through <paramref name="pipeline"/>.
    /// </summary>
    public static IServiceCollection AddPolyarchRegistry(this IServiceCollection services, Action<RegistryOptions>? configure, RegistryHttpPipeline pipeline)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<RegistryOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, RegistryOptionsDataAnnotations>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RegistryOptions>, RegistryOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new RegistryEndpoints(sp.GetRequiredService<IOptions<RegistryOptions>>().Value.InsecureHosts));
        services.TryAddSingleton<RegistryCertificateTrust>();
        services.TryAddSingleton<RegistryCache>();
        services.TryAddSingleton<CredentialHelper>();
        services.TryAddSingleton<CredentialStore>();
        services.TryAddSingleton<IRegistryCredentials>(sp => sp.GetRequiredService<CredentialStore>());
        services.TryAddSingleton<TokenCache>();
        services.TryAddSingleton<RegistrySender>();
        services.TryAddSingleton<RegistryClient>();
        services.TryAddSingleton<IRegistryClient>(sp => sp.GetRequiredService<RegistryClient>());
        services.TryAddSingleton<ReferrersFallback>();
        services.TryAddSingleton<IArtifactStore, ArtifactStore>();
        services.TryAddSingleton<IImageResolver, ImageResolver>();
        services.TryAddSingleton<IIndexAssembler, IndexAssembler>();
        services.TryAddTransient<RegistryAuthHandler>();

        AddClient(services, RegistryHttpClients.Manifests, blobs: false, pipeline).AddHttpMessageHandler<RegistryAuthHandler>();
        AddClient(services, RegistryHttpClients.Blobs, blobs: true, pipeline).AddHttpMessageHandler<RegistryAuthHandler>();
        AddClient(services, RegistryHttpClients.Auth, blobs: false, pipeline);
        return services;
    }

    private static IHttpClientBuilder AddClient(IServiceCollection services, string name, bool blobs, RegistryHttpPipeline pipeline)
    {
        var builder = services.AddHttpClient(name, client =>
        {
            client.DefaultRequestHeaders.UserAgent.ParseAdd("polyarch-registry/1.0");
            // The resilience handler owns timeouts; HttpClient's own 100 s limit would cut long blob transfers.
            client.Timeout = Timeout.InfiniteTimeSpan;
        });
        // Configures the primary handler there is (the factory's, or one a host or test chose) instead of replacing it.
        builder.ConfigurePrimaryHttpMessageHandler((handler, serviceProvider) =>
            serviceProvider.GetRequiredService<RegistryCertificateTrust>().Configure(handler));

        if (pipeline == RegistryHttpPipeline.OneShot)
        {
            return builder.AddHttpMessageHandler(serviceProvider =>
            {
                var options = serviceProvider.GetRequiredService<IOptions<RegistryOptions>>().Value;
                return new OneShotRetryHandler(
                    blobs ? options.BlobAttemptTimeout : options.AttemptTimeout, blobs ? options.BlobTotalTimeout : options.TotalTimeout,
                    options.MaxRetries, options.RetryBaseDelay, serviceProvider.GetRequiredService<TimeProvider>(),
                    serviceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RegistryClient).FullName!));
            });
        }

        builder.AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions resilience, IServiceProvider serviceProvider) =>
            {
                var options = serviceProvider.GetRequiredService<IOptions<RegistryOptions>>().Value;
                var logger = serviceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(RegistryClient).FullName!);
                var attempt = blobs ? options.BlobAttemptTimeout : options.AttemptTimeout;
                resilience.AttemptTimeout.Timeout = attempt;
                resilience.TotalRequestTimeout.Timeout = blobs ? options.BlobTotalTimeout : options.TotalTimeout;
                // The breaker must sample at least two attempts (the options validator insists).
                resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(30).Ticks, 2 * attempt.Ticks));
                resilience.Retry.MaxRetryAttempts = Math.Max(1, options.MaxRetries);
                resilience.Retry.Delay = options.RetryBaseDelay;
                resilience.Retry.ShouldRetryAfterHeader = true;
                // A failed TLS handshake (a certificate from an unknown CA, HTTPS spoken to a plain-HTTP server) fails the same way
                // every time: retrying it only delays the error that names the fix.
                resilience.Retry.ShouldHandle = options.MaxRetries == 0
                    ? _ => ValueTask.FromResult(false)
                    : args => ValueTask.FromResult(
                        !(args.Outcome.Exception is { } exception && TransportFailure.IsTlsHandshakeFailure(exception))
                        && HttpClientResiliencePredicates.IsTransient(args.Outcome));

                resilience.Retry.OnRetry = args =>
                {
                    var request = args.Context.GetRequestMessage();
                    var outcome = args.Outcome.Exception?.Message ?? $"{(int?)args.Outcome.Result?.StatusCode} {args.Outcome.Result?.StatusCode}";
                    RegistryLog.Retrying(logger, request?.Method, request?.RequestUri, args.RetryDelay, args.AttemptNumber + 1, outcome);
                    return ValueTask.CompletedTask;
                };
            })
            // One circuit per registry: a failing registry must not open the circuit for the others.
            .SelectPipelineByAuthority();
        return builder;
    }
}

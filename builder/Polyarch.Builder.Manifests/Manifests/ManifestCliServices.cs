using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polyarch.Registry;
using Polyarch.Registry.Client;
using Polyarch.Registry.Http;
using Polyarch.Registry.References;
using Serilog;
using Serilog.Extensions.Logging;

namespace Polyarch.Builder.Manifests;

/// <summary>The registry services a manifest verb needs: options from POLYARCH_Registry__* plus --insecure and --ca.</summary>
internal static class ManifestCliServices
{
    public static ServiceProvider Create(IEnumerable<ImageReference> insecure, IReadOnlyDictionary<string, string>? caFiles = null)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables("POLYARCH_").Build();
        var services = new ServiceCollection();
        // Polly and HttpClient log every attempt with stack traces; the registry library logs its own retries.
        services.AddLogging(logging => logging
            .AddSerilog(dispose: false)
            .AddFilter<SerilogLoggerProvider>("System.Net.Http.HttpClient", LogLevel.Warning)
            .AddFilter<SerilogLoggerProvider>("Polly", LogLevel.None));
        services.AddOptions<RegistryOptions>().Bind(configuration.GetSection(RegistryOptions.SectionName));
        // One verb, a few requests, then exit: the standard resilience pipeline's set-up would cost more than the requests.
        services.AddPolyarchRegistry(
            options =>
            {
                foreach (var registry in insecure.Select(r => r.Registry).Distinct(StringComparer.OrdinalIgnoreCase))
                {
                    options.InsecureHosts.Add(registry);
                }

                foreach (var (host, file) in caFiles ?? new Dictionary<string, string>())
                {
                    options.CaFiles[host] = file;
                }
            },
            RegistryHttpPipeline.OneShot);
        return services.BuildServiceProvider();
    }
}

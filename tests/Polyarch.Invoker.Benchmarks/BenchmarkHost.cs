using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.Hosting;

namespace Polyarch.Invoker.Benchmarks;

/// <summary>The invoker wired as `serve` wires it, as its own instance with its own state directory.</summary>
internal static class BenchmarkHost
{
    public static ServiceProvider Create(string instanceId, string stateDirectory, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Invoker:InstanceId"] = instanceId,
            ["Invoker:StateDirectory"] = stateDirectory,
            ["Docker:ExtraLabels:io.polyarch.benchmark"] = instanceId,
            ["WarmPool:MaxContainersPerKey"] = "8",
            ["WarmPool:MaxContainers"] = "64",
        };
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddPolyarchInvoker(configuration);
        return services.BuildServiceProvider();
    }
}

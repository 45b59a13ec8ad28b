using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Tests.Support;

/// <summary>The builder's real service graph over a private state directory.</summary>
public static class BuilderServices
{
    public static ServiceProvider Create(string stateDirectory, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["Builder:StateDirectory"] = stateDirectory,
            ["Builder:CacheDirectory"] = System.IO.Path.Combine(stateDirectory, "cache"),
            ["Builder:PushRetryDelay"] = "00:00:00.200",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddPolyarchBuilder(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Tests.Support;

/// <summary>The builder's real service graph over a private state directory.</summary>
public static class BuilderServices
{
    /// <param name="stateDirectory">Builder:StateDirectory.</param>
    /// <param name="settings">More configuration (Builder:Registry, Builder:DockerPath, …).</param>
    /// <param name="configure">Changes to the composition after AddPolyarchBuilder (a registration replaced by a decorator).</param>
    public static ServiceProvider Create(string stateDirectory, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configure = null)
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
        configure?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}

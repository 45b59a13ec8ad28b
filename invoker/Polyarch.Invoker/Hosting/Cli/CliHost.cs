using Polyarch.Invoker.DockerEngine;
using Serilog;

namespace Polyarch.Invoker.Hosting.Cli;

/// <summary>The services behind a CLI verb: same configuration as `serve` (appsettings.json, POLYARCH_ variables).</summary>
internal static class CliHost
{
    /// <summary>The configuration the verbs read: appsettings.json next to the executable, then POLYARCH_ variables, then <paramref name="overrides"/>.</summary>
    public static IConfigurationRoot Configuration(IReadOnlyDictionary<string, string?>? overrides = null) =>
        new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables("POLYARCH_")
            .AddInMemoryCollection(overrides ?? new Dictionary<string, string?>())
            .Build();

    public static ServiceProvider Create(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var configuration = Configuration(overrides);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        // The process's logger (Program.cs: CliLogging, one line per warning unless --verbose).
        services.AddLogging(logging => logging.AddSerilog(dispose: false));
        services.AddPolyarchInvoker(configuration);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>A CLI `invoke` runs as its own short-lived instance so it never touches a running `serve`'s containers.</summary>
    public static ServiceProvider CreateForInvoke(IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var configured = new ConfigurationBuilder().AddEnvironmentVariables("POLYARCH_").Build()[$"{InvokerOptions.SectionName}:InstanceId"] ?? "invoker0";
        var instance = $"{configured}-cli-{Environment.ProcessId}";
        var settings = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>()) { [$"{InvokerOptions.SectionName}:InstanceId"] = instance };
        return Create(settings);
    }

    /// <summary>Removes every container of this CLI instance (the warm pool does not outlive the process).</summary>
    public static async Task CleanUpAsync(ServiceProvider services)
    {
        var instance = services.GetRequiredService<Microsoft.Extensions.Options.IOptions<InvokerOptions>>().Value.InstanceId;
        await services.DisposeAsync();
        using var cleanup = Create();
        try
        {
            await cleanup.GetRequiredService<DockerJanitor>().RemoveInstanceLeftoversAsync(instance, CancellationToken.None);
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException or Docker.DotNet.DockerApiException)
        {
            await Console.Error.WriteLineAsync($"warning: could not remove containers of {instance}: {exception.Message}");
        }
    }
}

using Docker.DotNet.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.DockerEngine;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Invocation;
using Polyarch.Invoker.Pool;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Support;

/// <summary>One invoker instance (own id, own state directory) wired exactly as the CLI and serve wire it.</summary>
internal sealed class InvokerHarness : IAsyncDisposable
{
    private static int _counter;
    private readonly ServiceProvider _services;
    private readonly string _stateDirectory = Directory.CreateTempSubdirectory("invoker-state-").FullName;

    public InvokerHarness(IReadOnlyDictionary<string, string?>? settings = null)
    {
        InstanceId = $"t{TestRun.Id}-{Interlocked.Increment(ref _counter)}";
        var values = new Dictionary<string, string?>
        {
            ["Invoker:InstanceId"] = InstanceId,
            ["Invoker:StateDirectory"] = _stateDirectory,
            [$"Docker:ExtraLabels:{TestRun.LabelKey}"] = TestRun.Id,
            ["Docker:PidsLimit"] = "64",
            ["WarmPool:MaxContainersPerKey"] = "2",
            ["WarmPool:MaxContainers"] = "6",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddPolyarchInvoker(configuration);
        _services = services.BuildServiceProvider();
    }

    public string InstanceId { get; }

    public ActionInvoker Invoker => _services.GetRequiredService<ActionInvoker>();

    public IActionStore Actions => _services.GetRequiredService<IActionStore>();

    public IActivationStore Activations => _services.GetRequiredService<IActivationStore>();

    public WarmPool Pool => _services.GetRequiredService<WarmPool>();

    public DockerJanitor Janitor => _services.GetRequiredService<DockerJanitor>();

    public ExitedContainerSweeper Sweeper => _services.GetRequiredService<ExitedContainerSweeper>();

    /// <summary>The containers this instance has on the engine right now (by io.polyarch.instance).</summary>
    public async Task<IList<ContainerListResponse>> ContainersAsync()
    {
        using var docker = ContainerHost.CreateDockerClient();
        return await docker.Containers.ListContainersAsync(new ContainersListParameters
        {
            All = true,
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ImageLabels.Instance}={InstanceId}"] = true },
            },
        });
    }

    /// <summary>Waits (up to 20 s) until this instance has no container left; returns how many remain.</summary>
    public async Task<int> ContainersLeftAfterCleanupAsync()
    {
        for (var i = 0; i < 100; i++)
        {
            var left = await ContainersAsync();
            if (left.Count == 0)
            {
                return 0;
            }

            await Task.Delay(200);
        }

        return (await ContainersAsync()).Count;
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Engine.RemoveContainersLabelledAsync($"{ImageLabels.Instance}={InstanceId}");

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_stateDirectory, recursive: true);
    }
}

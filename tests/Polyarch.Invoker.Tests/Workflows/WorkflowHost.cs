using Docker.DotNet.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Hosting;
using Polyarch.Invoker.Images;
using Polyarch.Invoker.Workflows;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Client;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>
/// One invoker process's worth of services, wired as serve wires them, on a state directory the test owns (so a second
/// host can take over the first one's runs). Disposing it stops its engine as a shutdown would.
/// </summary>
internal sealed class WorkflowHost : IAsyncDisposable
{
    private static int _counter;
    private readonly ServiceProvider _services;

    public WorkflowHost(string stateDirectory)
    {
        InstanceId = $"w{TestRun.Id}-{Interlocked.Increment(ref _counter)}";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Invoker:InstanceId"] = InstanceId,
            ["Invoker:StateDirectory"] = stateDirectory,
            [$"Docker:ExtraLabels:{TestRun.LabelKey}"] = TestRun.Id,
            ["Docker:PidsLimit"] = "64",
            ["WarmPool:MaxContainersPerKey"] = "2",
            ["WarmPool:MaxContainers"] = "8",
            ["Workflows:PollInterval"] = "00:00:00.200",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        services.AddPolyarchInvoker(configuration);
        _services = services.BuildServiceProvider();
    }

    public string InstanceId { get; }

    public WorkflowEngine Engine => _services.GetRequiredService<WorkflowEngine>();

    public WorkflowStore Store => _services.GetRequiredService<WorkflowStore>();

    public IActionStore Actions => _services.GetRequiredService<IActionStore>();

    public IActivationStore Activations => _services.GetRequiredService<IActivationStore>();

    public IArtifactStore Artifacts => _services.GetRequiredService<IArtifactStore>();

    public IRegistryClient Registry => _services.GetRequiredService<IRegistryClient>();

    /// <summary>Starts the engine as serve does: resumes what a stopped invoker left, then takes up runs nobody drives.</summary>
    public Task StartAsync() => Engine.StartAsync(CancellationToken.None);

    /// <summary>Polls the stored record until <paramref name="done"/> holds (20 ms steps, up to <paramref name="seconds"/>).</summary>
    public async Task<WorkflowRun> PollAsync(string runId, Func<WorkflowRun, bool> done, int seconds = 120)
    {
        var until = TimeProvider.System.GetUtcNow().AddSeconds(seconds);
        while (true)
        {
            var run = await Store.GetRunAsync(runId, CancellationToken.None) ?? throw new InvalidOperationException($"run {runId} is not stored");
            if (done(run))
            {
                return run;
            }

            if (TimeProvider.System.GetUtcNow() > until)
            {
                throw new TimeoutException($"run {runId} did not reach the expected state in {seconds} s: {System.Text.Json.JsonSerializer.Serialize(run, Json.InvokerJson.Options)}");
            }

            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        await Polyarch.Testing.Engine.RemoveContainersLabelledAsync($"{ImageLabels.Instance}={InstanceId}");

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }
}

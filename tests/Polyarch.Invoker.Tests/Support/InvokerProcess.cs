using System.Net;
using System.Net.Sockets;
using System.Text;
using CliWrap;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Support;

/// <summary>A real `polyarch-invoker serve` process on a free loopback port, on a given state directory and instance id.</summary>
internal sealed class InvokerProcess : IAsyncDisposable
{
    private readonly CancellationTokenSource _kill;
    private readonly StringBuilder _output;
    private readonly Task _process;

    private InvokerProcess(Task process, Uri address, CancellationTokenSource kill, StringBuilder output)
    {
        _process = process;
        _kill = kill;
        _output = output;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromMinutes(2) };
    }

    public HttpClient Http { get; }

    /// <summary>What the process printed (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts `serve` and waits (up to 60 s) until /healthz answers.</summary>
    public static async Task<InvokerProcess> StartAsync(string stateDirectory, string instance, IReadOnlyDictionary<string, string>? environment = null)
    {
        var port = TestPorts.FreePort();
        var assembly = Path.Combine(AppContext.BaseDirectory, "polyarch-invoker.dll");
        var builder = new StringBuilder();
        var kill = new CancellationTokenSource();
        var process = Cli.Wrap("dotnet")
            .WithArguments([assembly, "serve", "--urls", $"http://127.0.0.1:{port}"])
            .WithEnvironmentVariables(env => env
                .Set("POLYARCH_STATE_DIR", stateDirectory)
                .Set("POLYARCH_Invoker__InstanceId", instance)
                .Set("POLYARCH_Service__RequireApiKey", "false")
                .Set($"POLYARCH_Docker__ExtraLabels__{TestRun.LabelKey}", TestRun.Id)
                .Set(environment?.ToDictionary(e => e.Key, e => (string?)e.Value) ?? []))
            .WithStandardOutputPipe(PipeTarget.ToDelegate(line => Append(builder, line)))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(line => Append(builder, line)))
            .WithValidation(CommandResultValidation.None)
            .ExecuteAsync(kill.Token);
        var started = new InvokerProcess(process.Task, new Uri($"http://127.0.0.1:{port}/"), kill, builder);
        try
        {
            await Poll.UntilAsync(
                async () =>
                {
                    if (process.Task.IsCompleted)
                    {
                        throw new InvalidOperationException($"polyarch-invoker serve exited early:\n{started.Output}");
                    }

                    using var health = await started.Http.GetAsync("/healthz");
                    return health.IsSuccessStatusCode;
                },
                TimeSpan.FromSeconds(60),
                "polyarch-invoker serve to answer /healthz",
                () => started.Output);
            return started;
        }
        catch
        {
            await started.DisposeAsync();
            throw;
        }
    }

    /// <summary>kill -9: the process gets no chance to finish anything (CliWrap's forceful cancellation is SIGKILL).</summary>
    public async Task KillAsync()
    {
        await _kill.CancelAsync();
        try
        {
            await _process;
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        Http.Dispose();
        _kill.Dispose();
    }

    private static void Append(StringBuilder builder, string line)
    {
        lock (builder)
        {
            builder.AppendLine(line);
        }
    }
}

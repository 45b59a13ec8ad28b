using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CliWrap;

namespace Polyarch.Testing;

/// <summary>
/// A private CNCF distribution registry for one test collection: a real docker-registry process started by
/// scripts/registry.sh on a free 127.0.0.1 port with its own storage, stopped and deleted on dispose.
/// Its log (including the access log) is kept so tests can count requests.
/// </summary>
public sealed class RegistryInstance : IAsyncDisposable
{
    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _storage;
    private readonly IReadOnlyDictionary<string, string> _environment;
    private Task<CommandResult>? _process;

    private RegistryInstance(int port, string storage, IReadOnlyDictionary<string, string>? environment = null)
    {
        Address = $"127.0.0.1:{port}";
        _storage = storage;
        _environment = environment ?? new Dictionary<string, string>();
    }

    /// <summary>host:port of this registry, e.g. 127.0.0.1:41234.</summary>
    public string Address { get; }

    /// <summary>The registry's base URL, http://127.0.0.1:PORT/.</summary>
    public Uri BaseUri => new($"http://{Address}/");

    /// <summary>Every line the registry has logged so far (access log included).</summary>
    public IReadOnlyList<string> Log => [.. _log];

    /// <summary>Starts a registry and waits until /v2/ answers.</summary>
    public static async Task<RegistryInstance> StartAsync(CancellationToken cancellationToken = default)
    {
        var storage = Directory.CreateTempSubdirectory("polyarch-test-registry-").FullName;
        var instance = new RegistryInstance(TestPorts.FreePort(), storage);
        await instance.StartProcessAsync(cancellationToken);
        return instance;
    }

    /// <summary>
    /// Starts a registry whose configuration is overridden by distribution's environment variables
    /// (e.g. <c>REGISTRY_STORAGE_DELETE_ENABLED=false</c>) and waits until /v2/ answers.
    /// </summary>
    public static async Task<RegistryInstance> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default)
    {
        var storage = Directory.CreateTempSubdirectory("polyarch-test-registry-").FullName;
        var instance = new RegistryInstance(TestPorts.FreePort(), storage, environment);
        await instance.StartProcessAsync(cancellationToken);
        return instance;
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var script = RepositoryRoot.Combine("scripts", "registry.sh");
        _process = Cli.Wrap(script)
            .WithArguments([Address, _storage])
            .WithEnvironmentVariables(_environment.ToDictionary(e => e.Key, string? (e) => e.Value))
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(_log.Enqueue))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(_log.Enqueue))
            .ExecuteAsync(_forceful.Token, _graceful.Token)
            .Task;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        await Poll.UntilAsync(
            async () =>
            {
                if (_process.IsCompleted)
                {
                    throw new InvalidOperationException(
                        $"The test registry on {Address} exited at start-up ({script} {Address} {_storage}):\n{string.Join('\n', _log)}");
                }

                using var response = await http.GetAsync(new Uri(BaseUri, "v2/"), cancellationToken);
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            $"the test registry on {Address} to answer /v2/",
            () => string.Join('\n', _log),
            cancellationToken: cancellationToken);
    }

    /// <summary>Stops the registry (SIGINT, then kill after 5 s) and deletes its storage.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            _graceful.Cancel();
            _forceful.CancelAfter(TimeSpan.FromSeconds(5));
            try
            {
                await _process;
            }
            catch (OperationCanceledException)
            {
                // Expected: that is how it stops.
            }
        }

        _graceful.Dispose();
        _forceful.Dispose();
        try
        {
            Directory.Delete(_storage, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the OS cleans the temp directory eventually.
        }
    }
}

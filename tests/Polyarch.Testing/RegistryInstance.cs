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
    private readonly RegistryLaunch _launch;
    private Task<CommandResult>? _process;

    private RegistryInstance(int port, string storage, RegistryLaunch launch)
    {
        Address = $"127.0.0.1:{port}";
        _storage = storage;
        _launch = launch;
    }

    /// <summary>host:port of this registry, e.g. 127.0.0.1:41234.</summary>
    public string Address { get; }

    /// <summary>The registry's base URL, http://127.0.0.1:PORT/.</summary>
    public Uri BaseUri => new($"http://{Address}/");

    /// <summary>Every line the registry has logged so far (access log included).</summary>
    public IReadOnlyList<string> Log => [.. _log];

    /// <summary>Starts a registry and waits until /v2/ answers.</summary>
    public static Task<RegistryInstance> StartAsync(CancellationToken cancellationToken = default) => StartAsync(new RegistryLaunch(), cancellationToken);

    /// <summary>
    /// Starts a registry whose configuration is overridden by distribution's environment variables
    /// (e.g. <c>REGISTRY_STORAGE_DELETE_ENABLED=false</c>) and waits until /v2/ answers.
    /// </summary>
    public static Task<RegistryInstance> StartAsync(IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken = default) =>
        StartAsync(new RegistryLaunch { Environment = environment }, cancellationToken);

    /// <summary>Starts a registry as <paramref name="launch"/> says (configuration, TLS, auth) and waits until /v2/ answers as it expects.</summary>
    public static async Task<RegistryInstance> StartAsync(RegistryLaunch launch, CancellationToken cancellationToken = default)
    {
        var storage = Directory.CreateTempSubdirectory("polyarch-test-registry-").FullName;
        var instance = new RegistryInstance(TestPorts.FreePort(), storage, launch);
        try
        {
            await instance.StartProcessAsync(cancellationToken);
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }

        return instance;
    }

    private async Task StartProcessAsync(CancellationToken cancellationToken)
    {
        var script = RepositoryRoot.Combine("scripts", "registry.sh");
        string[] arguments = _launch.ConfigFile is null ? [Address, _storage] : [Address, _storage, _launch.ConfigFile];
        _process = Cli.Wrap(script)
            .WithArguments(arguments)
            .WithEnvironmentVariables(_launch.Environment.ToDictionary(e => e.Key, string? (e) => e.Value))
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToDelegate(_log.Enqueue))
            .WithStandardErrorPipe(PipeTarget.ToDelegate(_log.Enqueue))
            .ExecuteAsync(_forceful.Token, _graceful.Token)
            .Task;

        // A TLS registry's certificate comes from a CA nothing here trusts: the probe only asks whether it answers.
        using var handler = new HttpClientHandler();
        if (_launch.Tls)
        {
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        }

        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        var probe = new Uri($"{(_launch.Tls ? "https" : "http")}://{Address}/v2/");
        await Poll.UntilAsync(
            async () =>
            {
                if (_process.IsCompleted)
                {
                    throw new InvalidOperationException(
                        $"The {_launch.Description} on {Address} exited at start-up ({script} {string.Join(' ', arguments)}):\n{string.Join('\n', _log)}");
                }

                using var response = await http.GetAsync(probe, cancellationToken);
                return response.StatusCode == _launch.ReadyStatus;
            },
            TimeSpan.FromSeconds(30),
            $"the {_launch.Description} on {Address} to answer /v2/ with {(int)_launch.ReadyStatus}",
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

using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using CliWrap;
namespace Polyarch.Testing;

/// <summary>
/// A real distribution registry that demands basic auth (htpasswd), started with scripts/registry.sh and the
/// project's registry config plus an auth block, on a free 127.0.0.1 port.
/// </summary>
public sealed class BasicAuthRegistry : IAsyncLifetime, IDisposable
{
    public const string Username = "tester";
    public const string Password = "polyarch-test-password";

    // bcrypt (distribution accepts nothing else) of Password, cost 4 so the registry checks it quickly; made once with
    // Python's crypt.crypt(password, crypt.mksalt(crypt.METHOD_BLOWFISH, rounds=16)). A test-only credential.
    private const string HtpasswdLine = "tester:$2b$04$0S7K21RxPNcqH66UPTwBteXp3HXeJhI//dvrdmjXgIceQcAU.v8/W";

    private readonly CancellationTokenSource _graceful = new();
    private readonly CancellationTokenSource _forceful = new();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-auth-registry-").FullName;
    private Task<CommandResult>? _process;

    public string Address { get; } = $"127.0.0.1:{TestPorts.FreePort()}";

    public async Task InitializeAsync()
    {
        await ContainerHost.EnsureUpAsync();
        var htpasswd = Path.Combine(_directory, "htpasswd");
        await File.WriteAllTextAsync(htpasswd, HtpasswdLine + "\n");
        var config = Path.Combine(_directory, "config.yml");
        var baseConfig = await File.ReadAllTextAsync(RepositoryRoot.Combine("registry", "distribution", "config.yml"));
        await File.WriteAllTextAsync(config, baseConfig + $"auth:\n  htpasswd:\n    realm: polyarch-test\n    path: {htpasswd}\n");
        _process = Cli.Wrap(RepositoryRoot.Combine("scripts", "registry.sh"))
            .WithArguments([Address, Path.Combine(_directory, "storage"), config])
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
                    throw new InvalidOperationException($"The basic-auth test registry on {Address} did not start:\n{string.Join('\n', _log)}");
                }

                using var response = await http.GetAsync(new Uri($"http://{Address}/v2/"));
                return response.StatusCode == HttpStatusCode.Unauthorized;
            },
            TimeSpan.FromSeconds(30),
            $"the basic-auth test registry on {Address} to answer /v2/",
            () => string.Join('\n', _log));
    }

    public async Task DisposeAsync()
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
                // That is how it stops.
            }
        }

        _graceful.Dispose();
        _forceful.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose()
    {
        _graceful.Dispose();
        _forceful.Dispose();
    }
}

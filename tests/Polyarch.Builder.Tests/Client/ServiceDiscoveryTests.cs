using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Configuration;
using Polyarch.Builder.Client;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Client;

/// <summary>
/// How a CLI finds the service on its state directory. Two CLIs' worth of work must never run beside a service that is only
/// slow (a loaded machine): before, a /healthz answer later than the 2-second probe made the CLI build on its own.
/// </summary>
public sealed class ServiceDiscoveryTests : IDisposable
{
    private readonly TempDirectory _state = new();

    [Fact]
    public async Task A_live_service_that_answers_after_the_probe_timeout_is_still_the_service()
    {
        using var slow = new SlowHealthz(ServiceDiscovery.ProbeTimeout + TimeSpan.FromSeconds(1.5), "slow-instance");
        WriteServeJson(slow.Url, "slow-instance", Environment.ProcessId);

        var found = await ServiceDiscovery.FindAsync(null, null, Configuration(), CancellationToken.None);

        found.ShouldNotBeNull("a slow answer from a live process is the service, not a reason to build beside it");
        found.Url.ShouldBe(new Uri(slow.Url));
    }

    [Fact]
    public async Task A_service_record_whose_port_refuses_is_stale_and_the_cli_works_alone()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        WriteServeJson($"http://127.0.0.1:{port}", "gone", Environment.ProcessId);

        (await ServiceDiscovery.FindAsync(null, null, Configuration(), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task A_service_of_another_instance_is_not_the_recorded_one()
    {
        using var other = new SlowHealthz(TimeSpan.Zero, "another-instance");
        WriteServeJson(other.Url, "recorded-instance", Environment.ProcessId);

        (await ServiceDiscovery.FindAsync(null, null, Configuration(), CancellationToken.None)).ShouldBeNull();
    }

    public void Dispose() => _state.Dispose();

    private IConfiguration Configuration() =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Builder:StateDirectory"] = _state.Path }).Build();

    private void WriteServeJson(string url, string instance, int pid)
    {
        Directory.CreateDirectory(Path.Combine(_state.Path, "builder"));
        File.WriteAllText(Path.Combine(_state.Path, "builder", "serve.json"), $"{{\"url\":\"{url}\",\"instance\":\"{instance}\",\"pid\":{pid}}}");
    }

    /// <summary>A loopback HTTP/1.1 server whose every answer to GET /healthz comes after a delay.</summary>
    private sealed class SlowHealthz : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();

        public SlowHealthz(TimeSpan delay, string instance)
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    _ = Task.Run(async () =>
                    {
                        using (client)
                        {
                            var stream = client.GetStream();
                            var buffer = new byte[4096];
                            _ = await stream.ReadAsync(buffer, _stop.Token);
                            await Task.Delay(delay, TimeProvider.System, _stop.Token);
                            var body = $"{{\"status\":\"ok\",\"instance\":\"{instance}\"}}";
                            var answer = $"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                            await stream.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
                        }
                    });
                }
            });
        }

        public string Url { get; }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}

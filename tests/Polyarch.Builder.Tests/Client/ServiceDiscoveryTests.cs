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

    [Fact]
    public async Task A_service_that_answers_the_first_probe_costs_no_process_look_up()
    {
        using var fast = new SlowHealthz(TimeSpan.Zero, "fast-instance");
        WriteServeJson(fast.Url, "fast-instance", Environment.ProcessId);
        var lookUps = 0;

        var found = await ServiceDiscovery.FindAsync(null, null, Configuration(), pid => { lookUps++; return true; }, CancellationToken.None);

        found.ShouldNotBeNull();
        lookUps.ShouldBe(0, "the recorded pid matters only when the first probe timed out");
    }

    [Fact]
    public async Task A_probe_that_timed_out_looks_up_the_process_and_a_gone_one_is_not_waited_for()
    {
        using var slow = new SlowHealthz(ServiceDiscovery.ProbeTimeout + TimeSpan.FromSeconds(3), "slow-instance");
        WriteServeJson(slow.Url, "slow-instance", 424242);
        var lookedUp = new List<int>();
        var started = TimeProvider.System.GetTimestamp();

        var found = await ServiceDiscovery.FindAsync(null, null, Configuration(), pid => { lookedUp.Add(pid); return false; }, CancellationToken.None);

        found.ShouldBeNull("a recorded process that is gone is a stale serve.json");
        lookedUp.ShouldBe([424242]);
        TimeProvider.System.GetElapsedTime(started).ShouldBeLessThan(ServiceDiscovery.ProbeTimeout + TimeSpan.FromSeconds(2.5), "no second, patient probe");
    }

    [Fact]
    public async Task The_probe_sends_no_api_key_and_the_calls_after_it_reuse_its_connection_with_the_key()
    {
        var record = """{"id":"b1","request":{"sourceUrl":"file:///src","registry":"127.0.0.1:5000","repository":"demo/echo","commit":"abc","isDefaultBranch":true,"platforms":["linux/amd64"],"trigger":"cli"},"status":"succeeded","createdAt":"2026-11-30T22:00:00+00:00","attempts":1,"images":[],"timings":[],"retries":[]}""";
        await using var server = await KeepAliveServer.StartAsync("keyed-instance", record);
        WriteServeJson(server.Url, "keyed-instance", Environment.ProcessId);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Builder:StateDirectory"] = _state.Path,
            ["Service:ApiKey"] = "secret-key",
        }).Build();

        var found = await ServiceDiscovery.FindAsync(null, null, configuration, CancellationToken.None);
        found.ShouldNotBeNull();
        using (var client = new BuilderServiceClient(found))
        {
            (await client.GetAsync("b1", CancellationToken.None)).Id.ShouldBe("b1");
            (await client.GetAsync("b1", CancellationToken.None)).Status.ShouldBe(Polyarch.Builder.Builds.BuildStatus.Succeeded);
        }

        var requests = server.Requests;
        requests.Count.ShouldBe(3);
        requests[0].Path.ShouldBe("/healthz");
        requests[0].Authorization.ShouldBeNull("the key goes out only once the instance id is confirmed");
        requests[1].Authorization.ShouldBe("Bearer secret-key");
        requests[2].Authorization.ShouldBe("Bearer secret-key");
        requests.Select(r => r.Connection).Distinct().Count().ShouldBe(1, "probe and calls share one keep-alive connection");
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

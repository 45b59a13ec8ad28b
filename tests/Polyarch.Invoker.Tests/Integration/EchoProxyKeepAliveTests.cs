using System.Net.Sockets;
using System.Text;
using Docker.DotNet.Models;
using Polyarch.Invoker.Tests.Support;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Integration;

/// <summary>
/// examples/echo's action proxy serves HTTP/1.1 keep-alive: several requests on one connection (so a warm container
/// forks once per connection, not per call), /init once, 404 for other routes, and `Connection: close` honoured.
/// </summary>
[Collection(InvokerEngineCollection.Name)]
[Trait("Category", "Integration")]
public sealed class EchoProxyKeepAliveTests(InvokerEngineFixture fixture)
{
    [Fact]
    public async Task Echo_proxy_serves_every_request_of_one_connection_and_closes_when_asked()
    {
        using var docker = ContainerHost.CreateDockerClient();
        var (name, tag) = (fixture.EchoImage[..fixture.EchoImage.LastIndexOf(':')], fixture.EchoImage[(fixture.EchoImage.LastIndexOf(':') + 1)..]);
        await docker.Images.CreateImageAsync(new ImagesCreateParameters { FromImage = name, Tag = tag, Platform = "linux/amd64" }, null, new Progress<JSONMessage>());
        var created = await docker.Containers.CreateContainerAsync(new CreateContainerParameters
        {
            Image = fixture.EchoImage,
            Platform = "linux/amd64",
            Labels = new Dictionary<string, string>(TestRun.Labels),
            ExposedPorts = new Dictionary<string, EmptyStruct> { ["8080/tcp"] = default },
            HostConfig = new HostConfig
            {
                PortBindings = new Dictionary<string, IList<PortBinding>> { ["8080/tcp"] = [new PortBinding { HostIP = "127.0.0.1", HostPort = "" }] },
            },
        });
        try
        {
            await docker.Containers.StartContainerAsync(created.ID, new ContainerStartParameters());
            var inspect = await docker.Containers.InspectContainerAsync(created.ID);
            var port = int.Parse(inspect.NetworkSettings!.Ports!["8080/tcp"]![0].HostPort, System.Globalization.CultureInfo.InvariantCulture);

            var opened = await ConnectAndInitAsync(port);
            using var connection = opened.Connection;
            var init = opened.Init;
            var stream = connection.GetStream();
            var first = await ExchangeAsync(stream, "POST", "/run", """{"value":{"n":1,"s":"a,}\"b"},"activation_id":"x"}""");
            var second = await ExchangeAsync(stream, "POST", "/run", "{\"value\":\n {\"n\": 2}}");
            var unknown = await ExchangeAsync(stream, "GET", "/nope", "");
            var again = await ExchangeAsync(stream, "POST", "/init", "{}");
            var last = await ExchangeAsync(stream, "POST", "/run", """{"value":{"n":3}}""", close: true);
            var afterClose = await stream.ReadAsync(new byte[1]);

            init.ShouldBe(("200 OK", """{"ok":true}""", false));
            first.ShouldBe(("200 OK", """{"arch":"x86_64","params":{"n":1,"s":"a,}\"b"}}""", false));
            second.Status.ShouldBe("200 OK");
            second.Body.ShouldBe("""{"arch":"x86_64","params":{"n": 2}}""");
            unknown.Status.ShouldBe("404 Not Found");
            again.Status.ShouldBe("403 Forbidden");
            last.Status.ShouldBe("200 OK");
            last.Body.ShouldBe("""{"arch":"x86_64","params":{"n":3}}""");
            afterClose.ShouldBe(0, "the proxy closes the connection after a request with Connection: close");
        }
        finally
        {
            await docker.Containers.RemoveContainerAsync(created.ID, new ContainerRemoveParameters { Force = true });
        }
    }

    private static async Task<(TcpClient Connection, (string Status, string Body, bool Close) Init)> ConnectAndInitAsync(int port)
    {
        // docker-proxy accepts (and then resets) connections until nc listens inside the container: retry /init
        // on a new connection, as the invoker does.
        for (var attempt = 0; ; attempt++)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port);
                var init = await ExchangeAsync(client.GetStream(), "POST", "/init", """{"value":{"name":"echo","main":"main","code":""}}""");
                return (client, init);
            }
            catch (Exception exception) when (exception is SocketException or IOException && attempt < 100)
            {
                client.Dispose();
                await Task.Delay(100);
            }
        }
    }

    /// <summary>One request, its answer read by Content-Length (the connection stays open unless it says close).</summary>
    private static async Task<(string Status, string Body, bool Close)> ExchangeAsync(NetworkStream stream, string method, string path, string body, bool close = false)
    {
        var payload = Encoding.UTF8.GetBytes(body);
        var head = $"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {payload.Length}\r\n{(close ? "Connection: close\r\n" : "")}\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head).Concat(payload).ToArray());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var headers = new StringBuilder();
        var one = new byte[1];
        while (!headers.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                throw new IOException($"The connection closed before the answer to {method} {path} was complete: {headers}");
            }

            headers.Append((char)one[0]);
        }

        var lines = headers.ToString().Split("\r\n");
        var length = int.Parse(lines.First(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var content = new byte[length];
        await stream.ReadExactlyAsync(content, timeout.Token);
        return (lines[0]["HTTP/1.1 ".Length..], Encoding.UTF8.GetString(content), lines.Any(l => l.Equals("Connection: close", StringComparison.OrdinalIgnoreCase)));
    }
}

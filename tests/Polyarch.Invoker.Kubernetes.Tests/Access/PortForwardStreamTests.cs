using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using Polyarch.Invoker.Kubernetes.Access;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Access;

/// <summary>
/// The v4.channel.k8s.io port-forward framing on a real WebSocket pair over loopback TCP, including the shapes a
/// server may legally send: the port prefix split across frames, continuation frames, other channels, the error channel.
/// </summary>
public sealed class PortForwardStreamTests : IAsyncLifetime, IDisposable
{
    private TcpClient _clientTcp = null!;
    private TcpClient _serverTcp = null!;
    private WebSocket _server = null!;
    private PortForwardStream _stream = null!;

    public async Task InitializeAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        _clientTcp = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await _clientTcp.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        _serverTcp = await accept;
        _server = WebSocket.CreateFromStream(_serverTcp.GetStream(), isServer: true, "v4.channel.k8s.io", Timeout.InfiniteTimeSpan);
        var client = WebSocket.CreateFromStream(_clientTcp.GetStream(), isServer: false, "v4.channel.k8s.io", Timeout.InfiniteTimeSpan);
        _stream = new PortForwardStream(client, "pa-echo-1", 8080);
    }

    public async Task DisposeAsync() => await _stream.DisposeAsync();

    public void Dispose()
    {
        _stream.Dispose();
        _server.Dispose();
        _clientTcp.Dispose();
        _serverTcp.Dispose();
    }

    [Fact]
    public async Task Data_after_the_port_prefix_is_read_whatever_the_framing()
    {
        // Port 8080 = 0x1F90, little-endian 90 1F; the prefix of channel 0 arrives split across a message's two frames.
        await SendAsync([0, 0x90], endOfMessage: false);
        await SendAsync([0x1F, (byte)'H', (byte)'T'], endOfMessage: true);
        await SendAsync([1, 0x90, 0x1F], endOfMessage: true);   // the error channel's prefix: not data
        await SendAsync([4, (byte)'?', (byte)'?'], endOfMessage: true);   // a channel of another port: ignored
        await SendAsync([0, (byte)'T', (byte)'P'], endOfMessage: false);
        await SendAsync([(byte)'/', (byte)'1'], endOfMessage: true);   // a continuation frame has no channel byte
        await _server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, TestTimeout.Token());

        var text = await ReadToEndAsync();

        text.ShouldBe("HTTP/1");
    }

    [Fact]
    public async Task Writes_go_to_the_data_channel_without_a_port_prefix()
    {
        await _stream.WriteAsync("GET / HTTP/1.1\r\n"u8.ToArray(), TestTimeout.Token());

        var buffer = new byte[64];
        var received = await _server.ReceiveAsync(buffer, TestTimeout.Token());

        received.EndOfMessage.ShouldBeTrue();
        buffer[0].ShouldBe((byte)0);
        Encoding.ASCII.GetString(buffer, 1, received.Count - 1).ShouldBe("GET / HTTP/1.1\r\n");
    }

    [Fact]
    public async Task A_message_on_the_error_channel_fails_the_read_with_the_servers_words_and_the_pod()
    {
        await SendAsync([0, 0x90, 0x1F], endOfMessage: true);
        await SendAsync([1, 0x90, 0x1F], endOfMessage: true);
        await SendAsync([1, .. "error forwarding port 8080 to pod 1234: connection refused"u8.ToArray()], endOfMessage: true);
        await _server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, TestTimeout.Token());

        var failure = await Should.ThrowAsync<IOException>(() => ReadToEndAsync());

        failure.Message.ShouldBe("Port-forward to pod pa-echo-1 port 8080 failed: error forwarding port 8080 to pod 1234: connection refused");
    }

    [Fact]
    public async Task A_dial_failure_before_any_data_says_nothing_reached_the_pod()
    {
        await SendAsync([0, 0x90, 0x1F], endOfMessage: true);
        await SendAsync([1, 0x90, 0x1F], endOfMessage: true);
        await SendAsync([1, .. "error forwarding port 8080 to pod 1234, uid : failed to connect to localhost:8080 inside namespace: connect: connection refused"u8.ToArray()], endOfMessage: true);
        await _server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, TestTimeout.Token());

        await Should.ThrowAsync<PortForwardDialFailedException>(() => ReadToEndAsync());
    }

    [Fact]
    public async Task An_error_after_the_pod_sent_data_is_a_plain_io_failure_not_a_dial_failure()
    {
        await SendAsync([0, 0x90, 0x1F], endOfMessage: true);
        await SendAsync([1, 0x90, 0x1F], endOfMessage: true);
        await SendAsync([0, (byte)'H', (byte)'T'], endOfMessage: true);
        await SendAsync([1, .. "error forwarding port 8080 to pod 1234: connection refused"u8.ToArray()], endOfMessage: true);
        await _server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, TestTimeout.Token());

        var failure = await Should.ThrowAsync<IOException>(() => ReadToEndAsync());

        failure.ShouldNotBeOfType<PortForwardDialFailedException>("the pod answered something: the request may have reached it");
    }

    [Fact]
    public async Task A_zero_byte_read_waits_for_data_and_consumes_nothing()
    {
        var waiting = _stream.ReadAsync(Memory<byte>.Empty, TestTimeout.Token()).AsTask();
        await SendAsync([0, 0x90, 0x1F], endOfMessage: true);   // only the prefix: still nothing to read
        waiting.IsCompleted.ShouldBeFalse();
        await SendAsync([0, (byte)'o', (byte)'k'], endOfMessage: true);

        (await waiting).ShouldBe(0);
        await _server.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, TestTimeout.Token());
        (await ReadToEndAsync()).ShouldBe("ok");
    }

    private Task SendAsync(byte[] payload, bool endOfMessage) =>
        _server.SendAsync(payload, WebSocketMessageType.Binary, endOfMessage, TestTimeout.Token());

    private async Task<string> ReadToEndAsync()
    {
        using var buffer = new MemoryStream();
        await _stream.CopyToAsync(buffer, TestTimeout.Token());
        return Encoding.ASCII.GetString(buffer.ToArray());
    }
}

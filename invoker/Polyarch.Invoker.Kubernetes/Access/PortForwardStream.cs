using System.Buffers;
using System.Globalization;
using System.Net.WebSockets;
using System.Text;

namespace Polyarch.Invoker.Kubernetes.Access;

/// <summary>
/// One TCP connection to a pod's port through the API server's pods/portforward WebSocket (v4.channel.k8s.io): every
/// message is [channel byte][payload]; port i has data channel 2i and error channel 2i+1, and the server starts each
/// channel with the port number (2 bytes, little-endian) — see kubelet's pkg/kubelet/cri/streaming/portforward/websocket.go.
/// Written instead of KubernetesClient's StreamDemuxer/MuxedStream because those only read synchronously (a blocked
/// thread-pool thread per idle pooled connection) and Stream's default async wrappers serialise reads and writes.
/// </summary>
internal sealed class PortForwardStream : Stream
{
    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;
    private const int PortPrefixBytes = 2;
    private const int MaxFrame = 32 * 1024;

    private readonly WebSocket _socket;
    private readonly string _pod;
    private readonly int _port;
    private readonly byte[] _receive = new byte[64 * 1024];
    private readonly int[] _prefixLeft = [PortPrefixBytes, PortPrefixBytes];
    private readonly StringBuilder _error = new();
    private int _pendingOffset;
    private int _pendingCount;
    private int _channel = -1;
    private bool _ended;
    private bool _dataSeen;

    public PortForwardStream(WebSocket socket, string pod, int port)
    {
        _socket = socket;
        _pod = pod;
        _port = port;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (_pendingCount > 0)
            {
                // A zero-byte read (SocketsHttpHandler's idle read-ahead) only waits for data to be available.
                var n = Math.Min(_pendingCount, buffer.Length);
                _receive.AsMemory(_pendingOffset, n).CopyTo(buffer);
                _pendingOffset += n;
                _pendingCount -= n;
                return n;
            }

            if (_ended)
            {
                return End();
            }

            var result = await _socket.ReceiveAsync(_receive.AsMemory(), cancellationToken).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                _ended = true;
                continue;
            }

            // The channel byte starts a message; continuation frames of the same message carry payload only.
            var offset = 0;
            if (_channel < 0)
            {
                if (result.Count == 0)
                {
                    continue;
                }

                _channel = _receive[0];
                offset = 1;
            }

            var channel = _channel;
            if (result.EndOfMessage)
            {
                _channel = -1;
            }

            if (channel > ErrorChannel)
            {
                continue;
            }

            var skip = Math.Min(_prefixLeft[channel], result.Count - offset);
            _prefixLeft[channel] -= skip;
            offset += skip;
            if (channel == ErrorChannel)
            {
                _error.Append(Encoding.UTF8.GetString(_receive, offset, result.Count - offset));
                continue;
            }

            _pendingOffset = offset;
            _pendingCount = result.Count - offset;
            _dataSeen |= _pendingCount > 0;
        }
    }

    private int End()
    {
        if (_error.Length == 0)
        {
            return 0;
        }

        var message = string.Create(CultureInfo.InvariantCulture, $"Port-forward to pod {_pod} port {_port} failed: {_error}");
        // The kubelet reports a failed dial of the pod's port on the error channel ("… failed to connect to localhost:8080
        // inside namespace … connect: connection refused" from containerd and CRI-O, socat's "Connection refused" from
        // dockershim): then nothing written here reached the pod. Any other error (a copy that broke) may come after it did.
        throw !_dataSeen && DialFailed(_error.ToString())
            ? new PortForwardDialFailedException(message)
            : new IOException(message);
    }

    private static bool DialFailed(string error) =>
        error.Contains("connection refused", StringComparison.OrdinalIgnoreCase) || error.Contains("failed to connect", StringComparison.OrdinalIgnoreCase);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var frame = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length, MaxFrame) + 1);
        try
        {
            frame[0] = DataChannel;
            for (var sent = 0; sent < buffer.Length; sent += MaxFrame)
            {
                var count = Math.Min(MaxFrame, buffer.Length - sent);
                buffer.Slice(sent, count).CopyTo(frame.AsMemory(1));
                await _socket.SendAsync(frame.AsMemory(0, count + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count, CancellationToken.None).GetAwaiter().GetResult();

    public override void Flush()
    {
        // Every write is sent as its own WebSocket message at once.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, grace.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
            {
                // The server or the pod already went away.
            }
        }

        _socket.Dispose();
        await base.DisposeAsync().ConfigureAwait(false);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _socket.Dispose();
        }

        base.Dispose(disposing);
    }
}

using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>
/// GET …/pods/{name}/portforward?ports=P[&amp;ports=Q] upgraded to a WebSocket, served like the kubelet's
/// pkg/kubelet/cri/streaming/portforward/websocket.go: sub-protocol v4.channel.k8s.io (or none); port i gets data
/// channel 2i and error channel 2i+1; the server first sends each channel the port as 2 little-endian bytes; every
/// message is [channel][payload]; the client's data messages carry no port prefix. Each port is dialled at the pod's
/// IP (127.0.0.1 here, where an <see cref="ActionProxyDouble"/> or a container the test started listens) and relayed
/// byte for byte; a refused dial is reported on the error channel with the kubelet's wording. When the pod side closes,
/// the WebSocket is closed, as the real server does.
/// </summary>
internal static class PortForwarder
{
    public const string Protocol = "v4.channel.k8s.io";

    /// <param name="podGone">Cancelled when the pod is deleted: the forwarded connections end, as a killed container's do.</param>
    /// <param name="listening">False: nothing listens in the pod (every dial is refused, as on a closed port).</param>
    public static async Task ServeAsync(HttpContext context, V1Pod pod, Func<HttpContext, int, object, Task> json, CancellationToken podGone, bool listening = true)
    {
        var name = pod.Metadata.Name;
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await json(context, 400, Statuses.Failure(400, "BadRequest", "Upgrade request required"));
            return;
        }

        var requested = context.WebSockets.WebSocketRequestedProtocols;
        if (requested.Count > 0 && !requested.Contains(Protocol))
        {
            await json(context, 400, Statuses.Failure(400, "BadRequest", $"unable to upgrade: the requested protocols {string.Join(", ", requested)} are not supported; use {Protocol}"));
            return;
        }

        var ports = new List<ushort>();
        foreach (var text in context.Request.Query["ports"])
        {
            if (!ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port == 0)
            {
                await json(context, 400, Statuses.Failure(400, "BadRequest", $"unable to parse \"{text}\" as a port: invalid port"));
                return;
            }

            ports.Add(port);
        }

        if (ports.Count == 0)
        {
            await json(context, 400, Statuses.Failure(400, "BadRequest", "query parameter \"port\" is required"));
            return;
        }

        if (pod.Status?.Phase != "Running" || pod.Status.PodIP is null)
        {
            await json(context, 400, Statuses.Failure(400, "BadRequest", $"unable to upgrade connection: pod {name} is not running (phase {pod.Status?.Phase})"));
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync(requested.Count > 0 ? Protocol : null);
        using var send = new SemaphoreSlim(1, 1);
        using var done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, podGone);
        var connections = new TcpClient?[ports.Count];
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var prefix = new byte[2];
                BinaryPrimitives.WriteUInt16LittleEndian(prefix, ports[i]);
                await SendAsync(socket, send, (byte)(2 * i), prefix, done.Token);
                await SendAsync(socket, send, (byte)(2 * i + 1), prefix, done.Token);
            }

            var pumps = new List<Task>();
            for (var i = 0; i < ports.Count; i++)
            {
                var client = new TcpClient();
                try
                {
                    if (!listening)
                    {
                        throw new SocketException((int)SocketError.ConnectionRefused);
                    }

                    await client.ConnectAsync(pod.Status.PodIP, ports[i], done.Token);
                    connections[i] = client;
                    pumps.Add(PodToClientAsync(client.GetStream(), socket, send, (byte)(2 * i), done.Token));
                }
                catch (SocketException ex)
                {
                    client.Dispose();
                    var message = $"error forwarding port {ports[i]} to pod {pod.Metadata.Uid}, uid : failed to execute portforward in network namespace: failed to connect to localhost:{ports[i]} inside namespace: dial tcp4 {pod.Status.PodIP}:{ports[i]}: connect: {ex.SocketErrorCode switch { SocketError.ConnectionRefused => "connection refused", var e => e.ToString() }}";
                    await SendAsync(socket, send, (byte)(2 * i + 1), Encoding.UTF8.GetBytes(message), done.Token);
                }
            }

            var fromClient = ClientToPodAsync(socket, connections, done.Token);
            // The connection ends when every forwarded port's pod side has closed (or none could be dialled),
            // or when the client closes the WebSocket.
            await Task.WhenAny(Task.WhenAll(pumps), fromClient);
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await send.WaitAsync(grace.Token);
                try
                {
                    await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, grace.Token);
                }
                finally
                {
                    send.Release();
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException)
        {
            // The client or the server went away.
        }
        finally
        {
            await done.CancelAsync();
            foreach (var connection in connections)
            {
                connection?.Dispose();
            }
        }
    }

    private static async Task PodToClientAsync(NetworkStream pod, WebSocket socket, SemaphoreSlim send, byte channel, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await pod.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await SendAsync(socket, send, channel, buffer.AsMemory(0, read), cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or WebSocketException)
        {
        }
    }

    private static async Task ClientToPodAsync(WebSocket socket, TcpClient?[] connections, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        var channel = -1;
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var offset = 0;
                if (channel < 0)
                {
                    if (result.Count == 0)
                    {
                        continue;
                    }

                    channel = buffer[0];
                    offset = 1;
                }

                var target = channel % 2 == 0 && channel / 2 < connections.Length ? connections[channel / 2] : null;
                if (result.EndOfMessage)
                {
                    channel = -1;
                }

                if (target is not null && result.Count > offset)
                {
                    await target.GetStream().WriteAsync(buffer.AsMemory(offset, result.Count - offset), cancellationToken);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or WebSocketException)
        {
        }
    }

    private static async Task SendAsync(WebSocket socket, SemaphoreSlim send, byte channel, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var frame = new byte[payload.Length + 1];
        frame[0] = channel;
        payload.CopyTo(frame.AsMemory(1));
        await send.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(frame, WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        finally
        {
            send.Release();
        }
    }
}

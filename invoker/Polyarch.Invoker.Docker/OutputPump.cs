using System.Text;
using Docker.DotNet;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.DockerEngine;

/// <summary>Reads a container's attached stdout/stderr into bounded logs until the stream ends.</summary>
internal static class OutputPump
{
    public static async Task PumpAsync(MultiplexedStream stream, BoundedLog stderr, Action<ReadOnlyMemory<byte>>? stdout, BoundedLog? stdoutLog, CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        var outDecoder = Encoding.UTF8.GetDecoder();
        var errDecoder = Encoding.UTF8.GetDecoder();
        var chars = new char[Encoding.UTF8.GetMaxCharCount(buffer.Length)];
        try
        {
            while (true)
            {
                var read = await stream.ReadOutputAsync(buffer, 0, buffer.Length, cancellationToken);
                if (read.EOF)
                {
                    return;
                }

                if (read.Target == MultiplexedStream.TargetStream.StandardError)
                {
                    var n = errDecoder.GetChars(buffer, 0, read.Count, chars, 0);
                    stderr.Append("stderr", chars.AsSpan(0, n));
                }
                else
                {
                    stdout?.Invoke(buffer.AsMemory(0, read.Count));
                    if (stdoutLog is not null)
                    {
                        var n = outDecoder.GetChars(buffer, 0, read.Count, chars, 0);
                        stdoutLog.Append("stdout", chars.AsSpan(0, n));
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (IOException)
        {
            // The container went away; what was read is kept.
        }
        catch (ObjectDisposedException)
        {
        }
    }
}

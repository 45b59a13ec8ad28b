namespace Polyarch.Builder.Hosting;

/// <summary>
/// A body of unknown length (so HTTP/1.1 sends it chunked, as a streaming JSON body is) sent in two parts: the first half,
/// flushed, then the rest after <c>pause</c>. The receiver has to wait for the second part, which takes its asynchronous paths.
/// </summary>
internal sealed class TwoPartContent(byte[] body, TimeSpan pause, TimeProvider time) : HttpContent
{
    /// <inheritdoc />
    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) =>
        SerializeToStreamAsync(stream, context, CancellationToken.None);

    /// <inheritdoc />
    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context, CancellationToken cancellationToken)
    {
        var half = body.Length / 2;
        await stream.WriteAsync(body.AsMemory(0, half), cancellationToken).ConfigureAwait(false);
        await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        await Task.Delay(pause, time, cancellationToken).ConfigureAwait(false);
        await stream.WriteAsync(body.AsMemory(half), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}

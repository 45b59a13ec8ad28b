using Polyarch.Registry.Client;

namespace Polyarch.Registry.Http;

/// <summary>
/// Reads a response body into memory, refusing more than a limit without reading it all
/// (HttpClient.MaxResponseContentBufferSize is per client and fails with an anonymous error).
/// </summary>
internal static class BoundedContent
{
    public const long MaxManifestBytes = 4L * 1024 * 1024;

    public static async Task<byte[]> ReadAsync(HttpContent content, long limit, Uri url, CancellationToken cancellationToken)
    {
        var announced = content.Headers.ContentLength;
        if (announced > limit)
        {
            throw new ContentTooLargeException(url, limit, announced);
        }

        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream((int)Math.Min(announced ?? 16 * 1024, 16 * 1024 * 1024));
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw new ContentTooLargeException(url, limit, announced);
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}

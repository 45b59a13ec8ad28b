using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Polyarch.Builder.Fitness;

/// <summary>
/// Caps request bodies at Service:MaxRequestBodyBytes (413 naming the limit and the option), with or without a
/// Content-Length: the server's own per-request limit stops chunked bodies. Endpoints that bound their own body
/// (the git webhook, Builder:Webhooks:MaxBodyBytes) say so with <see cref="IRequestSizeLimitMetadata"/>.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<BuilderServiceOptions> options)
{
    private readonly long _limit = options.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>() is not null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        if (context.Request.ContentLength > _limit)
        {
            await TooLargeAsync(context).ConfigureAwait(false);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = _limit;
        }

        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (BadHttpRequestException exception) when (exception.StatusCode == StatusCodes.Status413PayloadTooLarge && !context.Response.HasStarted)
        {
            await TooLargeAsync(context).ConfigureAwait(false);
        }
    }

    private Task TooLargeAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return context.Response.WriteAsJsonAsync(new
        {
            error = $"The request body is larger than {_limit} bytes (Service:MaxRequestBodyBytes). Send a smaller body, or raise the limit with Service:MaxRequestBodyBytes (POLYARCH_Service__MaxRequestBodyBytes).",
        });
    }
}

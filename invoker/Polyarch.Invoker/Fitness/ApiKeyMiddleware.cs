using Microsoft.Extensions.Options;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Fitness;

/// <summary>Requires the API key on /v1 when Service:RequireApiKey is on; the registry webhook checks its own token instead.</summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<ServiceOptions> options)
{
    private readonly bool _required = options.Value.RequireApiKey;

    public async Task InvokeAsync(HttpContext context, ApiKey key)
    {
        var path = context.Request.Path;
        if (_required
            && path.StartsWithSegments("/v1", StringComparison.Ordinal)
            && !path.StartsWithSegments(RegistryWebhookEndpoint.Path, StringComparison.Ordinal)
            && !key.IsAuthorized(context.Request.Headers.Authorization))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            await context.Response.WriteAsJsonAsync(
                new { error = "This API needs 'Authorization: Bearer <API key>'; the key is in secrets/invoker-api.key in the state directory (or Service:ApiKey)." },
                InvokerJson.Options);
            return;
        }

        await next(context);
    }
}

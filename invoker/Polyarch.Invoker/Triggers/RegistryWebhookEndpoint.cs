using Microsoft.Extensions.Options;
using Polyarch.Invoker.Json;
using Polyarch.Registry.Notifications;

namespace Polyarch.Invoker.Triggers;

/// <summary>POST /v1/hooks/registry: distribution's notification envelopes, stored as pushes before the 2xx.</summary>
internal static partial class RegistryWebhookEndpoint
{
    public const string Path = "/v1/hooks/registry";

    public static IEndpointRouteBuilder MapRegistryWebhook(this IEndpointRouteBuilder app)
    {
        app.MapPost(Path, HandleAsync).WithName("RegistryWebhook").WithTags("Triggers");
        return app;
    }

    private static async Task<IResult> HandleAsync(
        HttpRequest request,
        WebhookToken token,
        PushStore pushes,
        TriggerRegistries registries,
        TriggerSignal signal,
        TriggerMetrics metrics,
        IOptions<TriggerOptions> options,
        ILoggerFactory loggerFactory,
        CancellationToken ct)
    {
        var logger = loggerFactory.CreateLogger(typeof(RegistryWebhookEndpoint));
        if (!token.IsAuthorized(request.Headers.Authorization))
        {
            LogUnauthorized(logger, request.HttpContext.Connection.RemoteIpAddress?.ToString());
            metrics.Webhook("unauthorized");
            return Results.Json(new { error = "The registry webhook needs 'Authorization: Bearer <token>' with the token of secrets/registry-webhook.token in the state directory (scripts/host.sh configures the registry with it)." }, InvokerJson.Options, statusCode: 401);
        }

        if (request.ContentLength > options.Value.MaxEnvelopeBytes)
        {
            metrics.Webhook("too large");
            return Results.Json(new { error = $"The envelope is larger than Triggers:MaxEnvelopeBytes ({options.Value.MaxEnvelopeBytes})." }, InvokerJson.Options, statusCode: 413);
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(ct);
        IReadOnlyList<ImagePush> reduced;
        try
        {
            reduced = PushReducer.Reduce(RegistryNotificationParser.Parse(body, request.ContentType));
        }
        catch (InvalidNotificationException exception)
        {
            metrics.Webhook("malformed");
            return Results.Json(new { error = exception.Message }, InvokerJson.Options, statusCode: 400);
        }

        var ignored = 0;
        if (reduced.Count > 0)
        {
            var accepted = await registries.ListAsync(ct);
            var foreign = reduced.Where(p => !accepted.Contains(p.Registry)).ToList();
            foreach (var push in foreign)
            {
                LogForeignRegistry(logger, push.Registry, push.Repository, push.Tag, push.Digest, options.Value.DefaultRegistry);
            }

            ignored = foreign.Count;
            reduced = [.. reduced.Except(foreign)];
        }

        if (reduced.Count > 0)
        {
            // Stored before the answer: the registry's own queue is in memory and does not retry after a 2xx.
            await pushes.AddAsync(reduced, "webhook", ct);
            signal.Notify();
            foreach (var push in reduced)
            {
                LogAccepted(logger, push.Registry, push.Repository, push.Tag, push.Digest);
            }
        }

        metrics.Webhook("accepted");
        return Results.Json(new { accepted = reduced.Count, ignored }, InvokerJson.Options);
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Warning, Message = "Registry webhook call from {Remote} without the right bearer token")]
    private static partial void LogUnauthorized(ILogger logger, string? remote);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Ignored push of {Registry}/{Repository}:{Tag} ({Digest}): the invoker is not configured for registry {Registry} — it is neither Triggers:DefaultRegistry ({DefaultRegistry}) nor named by a rule's repository. If pushes there should fire rules, name it in a rule (--repository {Registry}/{Repository}) or set Triggers:DefaultRegistry")]
    private static partial void LogForeignRegistry(ILogger logger, string registry, string repository, string tag, Polyarch.Registry.References.Digest digest, string defaultRegistry);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Accepted push of {Registry}/{Repository}:{Tag} ({Digest})")]
    private static partial void LogAccepted(ILogger logger, string registry, string repository, string tag, Polyarch.Registry.References.Digest digest);
}

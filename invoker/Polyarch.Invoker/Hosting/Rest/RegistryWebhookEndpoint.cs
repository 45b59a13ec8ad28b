using Microsoft.Extensions.Options;
using Polyarch.Invoker.Json;
using Polyarch.Registry.Notifications;

using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Hosting.Rest;

/// <summary>POST /v1/hooks/registry: distribution's notification envelopes, stored as pushes before the 2xx.</summary>
internal static partial class RegistryWebhookEndpoint
{
    public const string Path = "/v1/hooks/registry";

    public static IEndpointRouteBuilder MapRegistryWebhook(this IEndpointRouteBuilder app)
    {
        // Anonymous to the API key: the registry authenticates with its own bearer token (checked below), and the
        // body is bounded here by Triggers:MaxEnvelopeBytes rather than by Service:MaxRequestBodyBytes.
        app.MapPost(Path, HandleAsync).WithName("RegistryWebhook").WithTags("Triggers")
            .AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
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
        using var activity = Telemetry.InvokerTelemetry.Source.StartActivity("registry notification", System.Diagnostics.ActivityKind.Server);
        if (!token.IsAuthorized(request.Headers.Authorization))
        {
            LogUnauthorized(logger, request.HttpContext.Connection.RemoteIpAddress?.ToString());
            metrics.Webhook("unauthorized");
            return Results.Json(new { error = "The registry webhook needs 'Authorization: Bearer <token>' with the token of secrets/registry-webhook.token in the state directory (scripts/host.sh configures the registry with it)." }, InvokerJson.Options, statusCode: 401);
        }

        var limit = options.Value.MaxEnvelopeBytes;

        // Content-Length first, then a bounded read: a chunked body has no Content-Length to check.
        var body = request.ContentLength > limit ? null : await ReadBoundedAsync(request.Body, limit, ct);
        if (body is null)
        {
            metrics.Webhook("too large");
            return Results.Json(
                new { error = $"The envelope is larger than {limit} bytes (Triggers:MaxEnvelopeBytes); raise Triggers:MaxEnvelopeBytes or send fewer events per envelope (the registry's notifications threshold)." },
                InvokerJson.Options,
                statusCode: 413);
        }
        IReadOnlyList<ImagePush> reduced;
        IReadOnlyList<ArtifactPush> artifacts;
        try
        {
            var events = RegistryNotificationParser.Parse(body, request.ContentType);
            reduced = PushReducer.Reduce(events);
            // OCI artifacts (a data set, a model): fire artifact rules. Referrers indexes are neither, and left out.
            artifacts = PushReducer.ReduceArtifacts(events);
        }
        catch (InvalidNotificationException exception)
        {
            metrics.Webhook("malformed");
            return Results.Json(new { error = exception.Message }, InvokerJson.Options, statusCode: 400);
        }

        var ignored = 0;
        if (reduced.Count > 0 || artifacts.Count > 0)
        {
            var accepted = await registries.ListAsync(ct);
            var foreign = reduced.Where(p => !accepted.Contains(p.Registry)).ToList();
            var foreignArtifacts = artifacts.Where(p => !accepted.Contains(p.Registry)).ToList();
            foreach (var push in foreign)
            {
                LogForeignRegistry(logger, push.Registry, push.Repository, push.Tag, push.Digest, options.Value.DefaultRegistry);
            }

            foreach (var push in foreignArtifacts)
            {
                LogForeignRegistry(logger, push.Registry, push.Repository, push.Tag, push.Digest, options.Value.DefaultRegistry);
            }

            ignored = foreign.Count + foreignArtifacts.Count;
            reduced = [.. reduced.Except(foreign)];
            artifacts = [.. artifacts.Except(foreignArtifacts)];
        }

        if (reduced.Count > 0 || artifacts.Count > 0)
        {
            // Stored before the answer: the registry's own queue is in memory and does not retry after a 2xx.
            await pushes.AddAsync(reduced, "webhook", ct);
            await pushes.AddArtifactsAsync(artifacts, "webhook", ct);
            signal.Notify();
            foreach (var push in reduced)
            {
                LogAccepted(logger, push.Registry, push.Repository, push.Tag, push.Digest);
            }

            foreach (var push in artifacts)
            {
                LogAcceptedArtifact(logger, push.Registry, push.Repository, push.Tag, push.Digest);
            }
        }

        metrics.Webhook("accepted");
        return Results.Json(new { accepted = reduced.Count + artifacts.Count, ignored }, InvokerJson.Options);
    }

    /// <summary>The body as UTF-8 text, or null once it exceeds <paramref name="limit"/> bytes (nothing more is read).</summary>
    private static async Task<string?> ReadBoundedAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    [LoggerMessage(EventId = 8101, Level = LogLevel.Warning, Message = "Registry webhook call from {Remote} without the right bearer token")]
    private static partial void LogUnauthorized(ILogger logger, string? remote);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "Ignored push of {Registry}/{Repository}:{Tag} ({Digest}): the invoker is not configured for registry {Registry} — it is neither Triggers:DefaultRegistry ({DefaultRegistry}) nor named by a rule's repository. If pushes there should fire rules, name it in a rule (--repository {Registry}/{Repository}) or set Triggers:DefaultRegistry")]
    private static partial void LogForeignRegistry(ILogger logger, string registry, string repository, string tag, Polyarch.Registry.References.Digest digest, string defaultRegistry);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Information, Message = "Accepted artifact push of {Registry}/{Repository}:{Tag} ({Digest})")]
    private static partial void LogAcceptedArtifact(ILogger logger, string registry, string repository, string tag, Polyarch.Registry.References.Digest digest);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "Accepted push of {Registry}/{Repository}:{Tag} ({Digest})")]
    private static partial void LogAccepted(ILogger logger, string registry, string repository, string tag, Polyarch.Registry.References.Digest digest);
}

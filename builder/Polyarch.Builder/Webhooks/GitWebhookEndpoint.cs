using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Telemetry;

namespace Polyarch.Builder.Webhooks;

/// <summary><c>POST /v1/hooks/git</c>: verify, de-duplicate, store, answer 202 with the build id; the build runs in the background.</summary>
internal static partial class GitWebhookEndpoint
{
    public static IEndpointRouteBuilder MapGitWebhook(this IEndpointRouteBuilder endpoints)
    {
        // Anonymous to the API key: every delivery is authenticated by its HMAC signature (or GitLab token) below, and
        // the body is bounded here by Builder:Webhooks:MaxBodyBytes rather than by Service:MaxRequestBodyBytes.
        endpoints.MapPost("/v1/hooks/git", HandleAsync)
            .AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.DisableRequestSizeLimitAttribute());
        return endpoints;
    }

    private static async Task<IResult> HandleAsync(
        HttpRequest request,
        WebhookSecrets secrets,
        RepositoryAllowlist allowlist,
        BuildSubmitter submitter,
        IOptions<BuilderOptions> options,
        CancellationToken cancellationToken)
    {
        // The root of a push's trace (or a child of the HTTP server span when ASP.NET Core is instrumented).
        using var activity = BuilderTelemetry.Source.StartActivity("webhook", ActivityKind.Server);
        var limit = options.Value.Webhooks.MaxBodyBytes;
        var body = request.ContentLength > limit ? null : await ReadBodyAsync(request.Body, limit, cancellationToken);
        if (body is null)
        {
            return Problem(413, $"The body is larger than {limit} bytes (Builder:Webhooks:MaxBodyBytes).");
        }

        var headers = WebhookHeaders.Read(request.Headers);
        if (headers is null)
        {
            return Problem(400, "Unknown sender: expected X-GitHub-Event, X-Gitea-Event/X-Forgejo-Event, X-Gitlab-Event or X-Polyarch-Event.");
        }

        activity?.SetTag("polyarch.webhook.provider", headers.Provider.ToString().ToLowerInvariant());
        if (!WebhookSignature.Verify(headers.Provider, headers.Signature, body, secrets.For(headers.Provider)))
        {
            return Problem(401, $"Missing or wrong {headers.Provider} signature.");
        }

        if (headers.IsPing)
        {
            return Results.Ok(new { status = "pong" });
        }

        if (!headers.IsPush)
        {
            return Results.Ok(new { status = "ignored", reason = $"event '{headers.Event}' does not start builds" });
        }

        var push = PushEventParser.Parse(body, out var error);
        if (push is null)
        {
            return Problem(400, error!);
        }

        if (GitRefName.Problem(push.Ref) is { } refProblem)
        {
            return Problem(400, $"'ref' is not a valid git ref name ('{InputText.Printable(push.Ref)}': {refProblem}). Push a branch whose name git accepts (git check-ref-format).");
        }

        if (push.Branch is null || push.IsDeletion)
        {
            return Results.Ok(new { status = "ignored", reason = push.IsDeletion ? "branch deleted" : $"'{push.Ref}' is not a branch" });
        }

        if (!CommitPattern().IsMatch(push.After))
        {
            return Problem(400, $"'after' is not a commit id: '{push.After[..Math.Min(push.After.Length, 80)]}'.");
        }

        if (allowlist.Match(push.RepositoryUrls) is not { } allowed)
        {
            return Problem(403, $"No allowlist entry (Builder:Allowlist) matches {string.Join(", ", push.RepositoryUrls.Take(3))}.");
        }

        var buildRequest = new BuildRequest(
            allowed.Url, options.Value.Registry, allowed.Repository, push.After.ToLowerInvariant(), push.Branch,
            push.Branch == push.DefaultBranch, options.Value.EffectivePlatforms, $"webhook:{headers.Provider.ToString().ToLowerInvariant()}");
        var deliveryId = $"{headers.Provider}:{headers.DeliveryId ?? Convert.ToHexStringLower(SHA256.HashData(body))}";
        SubmitResult result;
        try
        {
            result = await submitter.SubmitAsync(buildRequest, deliveryId, cancellationToken);
        }
        catch (InvalidBuildInputException exception)
        {
            // E.g. an allowlist's {name} that is no repository name ("UPPER..name"), or an invalid Builder:Registry: nothing is stored.
            return Problem(400, $"{exception.Message} (repository {allowed.Url} → {options.Value.Registry}/{InputText.Printable(allowed.Repository)}; check Builder:Allowlist and Builder:Registry)");
        }

        return Results.Json(
            new { buildId = result.Build.Id, status = result.Build.Status, duplicate = result.Duplicate, requeued = result.Requeued, links = new { self = $"/v1/builds/{result.Build.Id}" } },
            statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<byte[]?> ReadBodyAsync(Stream body, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail: detail, statusCode: status);

    [GeneratedRegex("^(?:[0-9a-fA-F]{40}|[0-9a-fA-F]{64})$")]
    private static partial Regex CommitPattern();
}

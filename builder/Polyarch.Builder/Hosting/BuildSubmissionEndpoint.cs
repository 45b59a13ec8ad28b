using Polyarch.Builder.Builds;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Hosting;

/// <summary>
/// <c>POST /v1/builds</c>: resolves and queues a build as the <c>build</c> verb does (a CLI hands its build to the running
/// service with it). 202 with <c>{build, created, requeued}</c> when it queued something, 200 when an earlier request covers
/// it; errors are problem details with the CLI's <c>exitCode</c> (2 → 400, 3 → 503, else 422).
/// </summary>
internal static class BuildSubmissionEndpoint
{
    public static async Task<IResult> HandleAsync(
        BuildSubmission? submission, BuildRequestFactory requests, BuildSubmitter submitter, CancellationToken cancellationToken)
    {
        if (submission is null)
        {
            return Problem("The body must be a JSON object such as {\"source\": \"https://git.example.com/team/fn.git\", \"platforms\": [\"linux/amd64\"]}.", 2);
        }

        if (submission.Trigger is not (null or "api" or "cli"))
        {
            return Problem($"trigger '{InputText.Printable(submission.Trigger)}' is not one of: api, cli. Leave it out (api).", 2);
        }

        try
        {
            var request = await requests.CreateAsync(submission, submission.Trigger ?? "api", cancellationToken);
            var result = await submitter.SubmitAsync(request, deliveryId: null, cancellationToken);
            return Results.Json(
                new { build = result.Build, created = result.Created, requeued = result.Requeued },
                BuildJson.Options,
                statusCode: result.Created || result.Requeued ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
        }
        catch (BuilderException exception)
        {
            return Problem(exception.Message, exception.ExitCode);
        }
    }

    public static IResult Problem(string message, int exitCode) =>
        Results.Problem(
            detail: message,
            statusCode: exitCode switch { 2 => StatusCodes.Status400BadRequest, 3 => StatusCodes.Status503ServiceUnavailable, _ => StatusCodes.Status422UnprocessableEntity },
            extensions: new Dictionary<string, object?> { ["exitCode"] = exitCode });
}

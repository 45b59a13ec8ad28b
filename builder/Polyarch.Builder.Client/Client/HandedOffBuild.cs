using Polyarch.Builder.Builds;
using Polyarch.Builder.Cli;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;

namespace Polyarch.Builder.Client;

/// <summary>
/// <c>polyarch-builder build</c> handed to a running service (as the docker CLI hands work to dockerd): submit, follow its
/// progress, print the same lines, report and exit code as an in-process build. Ctrl+C cancels the build on the service.
/// </summary>
internal static class HandedOffBuild
{
    public static async Task<int> RunAsync(BuildCommandInput input, BuilderServiceClient client, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        string? buildId = null;
        try
        {
            var answer = await client.SubmitAsync(input.ToSubmission() with { Source = Absolute(input.Source), Trigger = "cli" }, cancellationToken);
            var build = answer.Build;
            PhaseTimer.Current.Mark($"submitted: build {build.Id} (created {answer.Created})");
            buildId = build.Id;
            var reused = !answer.Created && build.Status == BuildStatus.Succeeded;
            if (!reused)
            {
                BuildOutcome.WriteStarted(stderr, build);
                var progress = new ConsoleProgress(stderr);
                await foreach (var next in client.EventsAsync(build.Id, cancellationToken))
                {
                    PhaseTimer.Current.Mark(next.Build is null ? "event: progress" : "event: final record");
                    if (next.Progress is { } step)
                    {
                        progress.Report(step);
                    }

                    build = next.Build ?? build;
                }

                if (!build.IsFinished)
                {
                    throw new ServiceCallException($"The builder service at {client.Url} ended the progress of build {build.Id} before it finished. Follow it with polyarch-builder builds get {build.Id}.", 3);
                }
            }

            var exitCode = BuildOutcome.Report(build, reused, input.Format, stdout, stderr);
            PhaseTimer.Current.Mark("report written");
            return exitCode;
        }
        catch (BuilderException exception)
        {
            BuildReport.WriteError(stdout, stderr, exception.Message, exception.ExitCode, input.Format);
            return exception.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (buildId is not null)
            {
                await CancelQuietlyAsync(client, buildId);
            }

            BuildReport.WriteError(stdout, stderr, BuildOutcome.CancelledMessage, 1, input.Format);
            return 1;
        }
    }

    // The service's working directory is not ours: a relative path becomes absolute here; URLs (and input the service will
    // refuse, with the same message as in-process) go as they are.
    private static string Absolute(string source)
    {
        try
        {
            return string.IsNullOrWhiteSpace(source) ? source : SourceUrl.Normalize(source);
        }
        catch (BuilderException)
        {
            return source;
        }
    }

    private static async Task CancelQuietlyAsync(BuilderServiceClient client, string buildId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await client.CancelAsync(buildId, timeout.Token);
        }
        catch (Exception exception) when (exception is BuilderException or OperationCanceledException or HttpRequestException)
        {
            // The message below says what matters; the build's record says the rest.
        }
    }
}

using Polyarch.Builder.Builds;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Cli;

/// <summary>Runs <c>polyarch-builder build</c> in-process: resolve → store → build with live progress → report.</summary>
internal sealed class BuildCommandHandler(
    BuildRequestFactory requests,
    BuildSubmitter submitter,
    IBuildStore store,
    BuildExecutor executor,
    TimeProvider time)
{
    private static readonly TimeSpan WaitPoll = TimeSpan.FromSeconds(1);

    public async Task<int> RunAsync(BuildCommandInput input, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var request = await requests.CreateAsync(input.ToSubmission(), "cli", cancellationToken);
            PhaseTimer.Current.Mark("source resolved (git mirror fetched)");
            var submitted = await submitter.SubmitAsync(request, deliveryId: null, cancellationToken);
            PhaseTimer.Current.Mark("build stored");
            var build = submitted.Build;
            var reused = !submitted.Created && build.Status == BuildStatus.Succeeded;
            if (!reused)
            {
                BuildOutcome.WriteStarted(stderr, build);
                build = await RunOrWaitAsync(build, new ConsoleProgress(stderr), cancellationToken);
            }

            var exitCode = BuildOutcome.Report(build, reused, input.Format, stdout, stderr);
            PhaseTimer.Current.Mark("build finished, report written");
            return exitCode;
        }
        catch (BuilderException exception)
        {
            BuildReport.WriteError(stdout, stderr, exception.Message, exception.ExitCode, input.Format);
            return exception.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            BuildReport.WriteError(stdout, stderr, BuildOutcome.CancelledMessage, 1, input.Format);
            return 1;
        }
#pragma warning disable CA1031 // The CLI ends in one line a person can read, never in an unhandled exception's stack trace.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            BuildReport.WriteError(stdout, stderr, $"Internal error ({exception.GetType().Name}): {exception.Message}. Run again with --verbose and report it.", 1, input.Format);
            return 1;
        }
    }

    private async Task<BuildRecord> RunOrWaitAsync(BuildRecord build, ConsoleProgress progress, CancellationToken cancellationToken)
    {
        if (await store.TryClaimAsync(build.Id, cancellationToken) is { } claimed)
        {
            return await executor.ExecuteAsync(claimed, progress.Report, cancellationToken, requeueOnCancel: false);
        }

        // Someone else (a running service) has it: wait for its result instead of building twice.
        while (true)
        {
            var current = await store.GetAsync(build.Id, cancellationToken);
            if (current is null || current.IsFinished)
            {
                return current ?? build;
            }

            await Task.Delay(WaitPoll, time, cancellationToken);
        }
    }
}

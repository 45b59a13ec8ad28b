using Microsoft.Extensions.Options;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Buildx;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Cli;

/// <summary>Runs <c>polyarch-builder build</c> in-process: resolve → store → build with live progress → report.</summary>
internal sealed class BuildCommandHandler(
    GitSource git,
    BuildSubmitter submitter,
    IBuildStore store,
    BuildExecutor executor,
    IOptions<BuilderOptions> options)
{
    private static readonly TimeSpan WaitPoll = TimeSpan.FromSeconds(1);

    public async Task<int> RunAsync(BuildCommandInput input, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var request = await CreateRequestAsync(input, cancellationToken);
            var submitted = await submitter.SubmitAsync(request, deliveryId: null, cancellationToken);
            var build = submitted.Build;
            var reused = !submitted.Created && build.Status == BuildStatus.Succeeded;
            if (!reused)
            {
                stderr.WriteLine($"build {build.Id}: {request.SourceUrl} at {request.Commit[..12]} for {string.Join(", ", request.Platforms)}");
                build = await RunOrWaitAsync(build, new ConsoleProgress(stderr), cancellationToken);
            }

            if (build.Status == BuildStatus.Succeeded)
            {
                BuildReport.Write(stdout, build, input.Json, reused);
                return 0;
            }

            var error = build.Error ?? new BuildError($"Build {build.Id} ended as {build.Status}.", 1);
            BuildReport.WriteError(stdout, stderr, error.Message, error.ExitCode, input.Json, error, build.Id);
            return error.ExitCode;
        }
        catch (BuilderException exception)
        {
            BuildReport.WriteError(stdout, stderr, exception.Message, exception.ExitCode, input.Json);
            return exception.ExitCode;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            BuildReport.WriteError(stdout, stderr, "Cancelled; buildx was interrupted and no tag was moved.", 1, input.Json);
            return 1;
        }
#pragma warning disable CA1031 // The CLI ends in one line a person can read, never in an unhandled exception's stack trace.
        catch (Exception exception) when (exception is not OperationCanceledException)
#pragma warning restore CA1031
        {
            BuildReport.WriteError(stdout, stderr, $"Internal error ({exception.GetType().Name}): {exception.Message}. Run again with --verbose and report it.", 1, input.Json);
            return 1;
        }
    }

    private async Task<BuildRequest> CreateRequestAsync(BuildCommandInput input, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(input.Source))
        {
            throw new InvalidBuildInputException("PATH_OR_URL is empty. Pass the path of a git repository or its URL, e.g. polyarch-builder build ./my-function.");
        }

        if (input.Ref is not null && input.Commit is not null)
        {
            throw new InvalidBuildInputException("Pass either --ref or --commit, not both.");
        }

        // Everything known before the fetch is checked first, all at once: nothing is fetched or stored for input that can never build.
        var registry = input.Registry ?? options.Value.Registry;
        BuildRequestValidator.Throw(BuildRequestValidator.Problems(registry, input.Repository, input.Ref));

        var platforms = new List<string>();
        foreach (var value in input.Platforms.Count > 0 ? input.Platforms : options.Value.EffectivePlatforms)
        {
            platforms.Add(PlatformName.Normalize(value)
                ?? throw new InvalidBuildInputException($"'{value}' is not a platform. Use os/arch[/variant], e.g. linux/arm64."));
        }

        var source = await git.ResolveAsync(input.Source, input.Ref, input.Commit, cancellationToken);
        var repository = input.Repository ?? RepositoryName.FromSource(SourceUrl.LastSegment(source.Url));
        if (input.Repository is null && RegistryNames.RepositoryProblem(registry, repository) is { } problem)
        {
            throw new InvalidBuildInputException($"{problem} (derived from {InputText.Printable(source.Url)}; pass --repository).");
        }

        return new BuildRequest(
            source.Url, registry, repository, source.Commit, source.Branch, source.IsDefaultBranch,
            [.. platforms.Distinct(StringComparer.Ordinal)], "cli");
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

            await Task.Delay(WaitPoll, cancellationToken);
        }
    }
}

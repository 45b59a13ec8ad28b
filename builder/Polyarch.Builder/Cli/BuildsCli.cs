using Polyarch.Builder.Builds;
using Polyarch.Builder.Client;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting;
using Polyarch.Builder.Records;

namespace Polyarch.Builder.Cli;

/// <summary>Runs a <c>builds</c> verb against the service or, without one, the local store; prints table, JSON or YAML.</summary>
internal static class BuildsCli
{
    public static async Task<int> RunAsync(BuildsRequest request, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        try
        {
            var configuration = BuildCliServices.Configuration();
            var connection = await ServiceDiscovery.FindAsync(request.Url, request.ApiKeyFile, configuration, cancellationToken);
            if (connection is not null)
            {
                using var client = new BuilderServiceClient(connection);
                await RemoteAsync(request, client, stdout, cancellationToken);
                return 0;
            }

            if (request.Verb == BuildsVerb.Cancel)
            {
                var options = configuration.GetSection(BuilderOptions.SectionName).Get<BuilderOptions>() ?? new BuilderOptions();
                throw new DependencyUnavailableException(
                    $"Cancelling build {request.Id} needs the builder service that runs it, and none answers for the state directory {options.StateDirectory} " +
                    $"(no running `polyarch-builder serve` there) and neither --url nor {ServiceDiscovery.UrlVariable} names one. " +
                    "Start it (scripts/services.sh up) or pass --url; a build a CLI runs itself stops with Ctrl+C.");
            }

            await using var services = BuildCliServices.Create(builderName: null, request.Verbose);
            await LocalAsync(request, services.GetRequiredService<IBuildStore>(), stdout, cancellationToken);
            return 0;
        }
        catch (BuilderException exception)
        {
            BuildReport.WriteError(stdout, stderr, exception.Message, exception.ExitCode, request.Format, buildId: request.Id);
            return exception.ExitCode;
        }
    }

    private static async Task RemoteAsync(BuildsRequest request, BuilderServiceClient client, TextWriter stdout, CancellationToken cancellationToken)
    {
        switch (request.Verb)
        {
            case BuildsVerb.List:
                BuildsOutput.List(stdout, await client.ListAsync(request.Limit, cancellationToken), request.Format);
                break;
            case BuildsVerb.Get:
                BuildsOutput.One(stdout, await client.GetAsync(request.Id!, cancellationToken), request.Format);
                break;
            case BuildsVerb.Logs:
                await client.GetAsync(request.Id!, cancellationToken); // 404 → the same "no build" error as locally
                BuildsOutput.Logs(stdout, request.Id!, await client.LogsAsync(request.Id!, request.Platform, cancellationToken), request.Format);
                break;
            case BuildsVerb.Cancel:
                BuildsOutput.One(stdout, await client.CancelAsync(request.Id!, cancellationToken), request.Format);
                break;
        }
    }

    private static async Task LocalAsync(BuildsRequest request, IBuildStore store, TextWriter stdout, CancellationToken cancellationToken)
    {
        if (request.Verb == BuildsVerb.List)
        {
            BuildsOutput.List(stdout, await store.ListAsync(request.Limit, cancellationToken), request.Format);
            return;
        }

        var build = await store.GetAsync(request.Id!, cancellationToken)
            ?? throw new InvalidBuildInputException($"No build '{InputText.Printable(request.Id)}'. List builds with polyarch-builder builds list.");
        if (request.Verb == BuildsVerb.Get)
        {
            BuildsOutput.One(stdout, build, request.Format);
            return;
        }

        BuildsOutput.Logs(stdout, build.Id, BuildLogText.Format(await store.GetLogsAsync(build.Id, cancellationToken), request.Platform), request.Format);
    }
}

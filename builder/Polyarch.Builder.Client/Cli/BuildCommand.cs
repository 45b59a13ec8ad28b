using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Polyarch.Builder.Client;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting.Logging;

namespace Polyarch.Builder.Cli;

/// <summary>
/// <c>polyarch-builder build PATH_OR_URL [--ref R | --commit SHA] [--platforms …] …</c>: handed to the running service when one
/// runs on this state directory (or --url names one), built in this process otherwise — same output and exit codes. One
/// definition for both entry points: polyarch-builder builds in-process when it must, polyarch-builder-manifest (Native AOT)
/// hands such a build back to polyarch-builder.
/// </summary>
internal static class BuildCommand
{
    /// <summary>
    /// True in a polyarch-builder the native tool handed a build back to because no service answered
    /// (<see cref="NativeManifestTool.NoServiceValue"/>): it builds in-process without asking again.
    /// </summary>
    public static bool NoServiceAnswered { get; set; }

    /// <param name="buildLocally">
    /// Runs the build without a service: the input, whether no service answered (false: the user asked for a local build),
    /// --verbose, the cancellation token; returns the exit code.
    /// </param>
    public static Command Create(Func<BuildCommandInput, bool, bool, CancellationToken, Task<int>> buildLocally)
    {
        var source = new Argument<string>("PATH_OR_URL") { Description = "A git repository: local path, file://, https://, git:// or ssh URL (ssh://host/repo.git, git@host:repo.git)" };
        var gitRef = new Option<string?>("--ref") { Description = "Branch or tag to build (default: the repository's default branch)" };
        var commit = new Option<string?>("--commit") { Description = "Exact commit to build" };
        var platforms = new Option<string[]>("--platforms", "--platform")
        {
            Description = "Platforms, comma-separated or repeated (default: linux/amd64,linux/arm64,linux/ppc64le)",
            AllowMultipleArgumentsPerToken = true,
        };
        var registry = new Option<string?>("--registry") { Description = "Registry HOST:PORT (default 127.0.0.1:5000)" };
        var repository = new Option<string?>("--repository") { Description = "Registry repository (default: the source's name)" };
        var builderName = new Option<string?>("--builder") { Description = "buildx builder instance (default: buildx's current one); builds in this process" };
        var output = OutputOption.Create();
        var url = ServiceOptions.Url();
        var apiKeyFile = ServiceOptions.ApiKeyFile();
        var inProcess = new Option<bool>("--in-process") { Description = "Build in this process even when a builder service runs" };

        var command = new Command("build", "Build a repository for several platforms into one verified OCI index")
        {
            source, gitRef, commit, platforms, registry, repository, builderName, output, url, apiKeyFile, inProcess,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            PhaseTimer.Current.Mark("build verb invoked");
            var input = new BuildCommandInput(
                parse.GetValue(source)!,
                parse.GetValue(gitRef),
                parse.GetValue(commit),
                [.. (parse.GetValue(platforms) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                parse.GetValue(registry),
                parse.GetValue(repository),
                parse.GetValue(builderName),
                OutputOption.Parse(parse.GetValue(output)));
            var verbose = parse.GetValue<bool>(CliLogging.VerboseName);

            var local = parse.GetValue(inProcess) || input.BuilderName is not null;
            if (local && parse.GetValue(url) is not null)
            {
                BuildReport.WriteError(Console.Out, Console.Error, "--url hands the build to a service, which uses its own buildx builder (Builder:BuilderName): leave out --builder / --in-process, or --url.", 2, input.Format);
                return 2;
            }

            if (NoServiceAnswered && parse.GetValue(url) is null)
            {
                PhaseTimer.Current.Mark("handed back by the native tool: no service answered, building in this process");
                return await buildLocally(input, true, verbose, cancellationToken);
            }

            // A CLI given registry settings of its own (Registry: CA files, credentials, insecure hosts) builds itself: a
            // running service would push with its settings, not these. An explicit --url still hands off.
            var configuration = CliConfiguration.Read();
            PhaseTimer.Current.Mark("configuration read");
            if (!local && parse.GetValue(url) is null
                && configuration.GetSection("Registry").AsEnumerable(makePathsRelative: true).Any(setting => setting.Value is not null))
            {
                local = true;
            }

            if (local)
            {
                return await buildLocally(input, false, verbose, cancellationToken);
            }

            ServiceConnection? connection;
            try
            {
                connection = await ServiceDiscovery.FindAsync(parse.GetValue(url), parse.GetValue(apiKeyFile), configuration, cancellationToken);
            }
            catch (BuilderException exception)
            {
                BuildReport.WriteError(Console.Out, Console.Error, exception.Message, exception.ExitCode, input.Format);
                return exception.ExitCode;
            }

            PhaseTimer.Current.Mark(connection is null ? "no service answered: building in this process" : $"service found at {connection.Url} (serve.json + /healthz)");
            if (connection is null)
            {
                return await buildLocally(input, true, verbose, cancellationToken);
            }

            using var client = new BuilderServiceClient(connection);
            return await HandedOffBuild.RunAsync(input, client, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}

using System.CommandLine;
using Polyarch.Builder.Hosting.Logging;

namespace Polyarch.Builder.Cli;

/// <summary><c>polyarch-builder build PATH_OR_URL [--ref R | --commit SHA] [--platforms …] …</c></summary>
internal static class BuildCommand
{
    public static Command Create()
    {
        var source = new Argument<string>("PATH_OR_URL") { Description = "A git repository: local path, file:// or https:// URL" };
        var gitRef = new Option<string?>("--ref") { Description = "Branch or tag to build (default: the repository's default branch)" };
        var commit = new Option<string?>("--commit") { Description = "Exact commit to build" };
        var platforms = new Option<string[]>("--platforms", "--platform")
        {
            Description = "Platforms, comma-separated or repeated (default: linux/amd64,linux/arm64,linux/ppc64le)",
            AllowMultipleArgumentsPerToken = true,
        };
        var registry = new Option<string?>("--registry") { Description = "Registry HOST:PORT (default 127.0.0.1:5000)" };
        var repository = new Option<string?>("--repository") { Description = "Registry repository (default: the source's name)" };
        var builderName = new Option<string?>("--builder") { Description = "buildx builder instance (default: buildx's current one)" };
        var output = new Option<string>("--output") { Description = "text or json", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");

        var command = new Command("build", "Build a repository for several platforms into one verified OCI index")
        {
            source, gitRef, commit, platforms, registry, repository, builderName, output,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var input = new BuildCommandInput(
                parse.GetValue(source)!,
                parse.GetValue(gitRef),
                parse.GetValue(commit),
                [.. (parse.GetValue(platforms) ?? []).SelectMany(p => p.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))],
                parse.GetValue(registry),
                parse.GetValue(repository),
                parse.GetValue(builderName),
                parse.GetValue(output) == "json");

            await using var services = BuildCliServices.Create(input.BuilderName, parse.GetValue<bool>(CliLogging.VerboseName));
            var handler = services.GetRequiredService<BuildCommandHandler>();
            return await handler.RunAsync(input, Console.Out, Console.Error, cancellationToken);
        });
        return command;
    }
}

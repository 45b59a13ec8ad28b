using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Polyarch.Host.Tests.PrivateRegistries;

/// <summary>Runs polyarch-builder (the real executable) or a consumer's own tool, with an environment of its own.</summary>
internal static class Tool
{
    public static Task<BufferedCommandResult> BuilderAsync(IReadOnlyDictionary<string, string?>? environment, params string[] arguments) =>
        RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "polyarch-builder.dll"), .. arguments], environment);

    public static Task<BufferedCommandResult> RunAsync(string executable, string[] arguments, IReadOnlyDictionary<string, string?>? environment = null) =>
        Cli.Wrap(executable)
            .WithArguments(arguments)
            .WithEnvironmentVariables(environment ?? new Dictionary<string, string?>())
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);

    public static string Describe(BufferedCommandResult result) =>
        $"exit {result.ExitCode}\nstdout:\n{result.StandardOutput}\nstderr:\n{result.StandardError}";
}

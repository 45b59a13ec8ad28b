using CliWrap;
using CliWrap.Buffered;
using Polyarch.Builder.Cli;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Manifests;

/// <summary>
/// polyarch-builder-manifest published ahead of time, once per test run (every class that uses it shares the one publish),
/// by the scripts' own function (scripts/lib/common.sh dotnet_publish_aot, as services.sh and images.sh publish it), and
/// an app directory holding it next to a copy of the CLI as built — polyarch-builder then execs it as an installed one.
/// Needs clang: fails loudly without it.
/// </summary>
public sealed class NativeManifestToolBuild : IAsyncLifetime
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    private string _directory = "";

    /// <summary>The native executable.</summary>
    public string Executable => Path.Combine(_directory, NativeManifestTool.FileName);

    /// <summary>polyarch-builder (apphost and dll) with the native tool beside it.</summary>
    public string AppDirectory => Path.Combine(_directory, "app");

    /// <summary>The CLI of <see cref="AppDirectory"/>, to run with <c>dotnet</c>.</summary>
    public string CliDll => Path.Combine(AppDirectory, "polyarch-builder.dll");

    public async Task InitializeAsync() => _directory = await Published.Value;

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> PublishAsync()
    {
        var directory = Directory.CreateTempSubdirectory("polyarch-native-manifest-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(directory, recursive: true);
        var log = Path.Combine(directory, "publish.log");
        var result = await CliWrap.Cli.Wrap("bash")
            .WithArguments([
                "-c", """. "$1/scripts/lib/common.sh" && dotnet_publish_aot "$1/builder/Polyarch.Builder.ManifestTool" "$(dotnet_rid)" "$2" "$3" """,
                "publish", RepositoryRoot.Path, directory, log])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        var executable = Path.Combine(directory, NativeManifestTool.FileName);
        if (!result.IsSuccess || !File.Exists(executable))
        {
            var text = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no log)";
            throw new InvalidOperationException(
                $"Publishing polyarch-builder-manifest with Native AOT failed (exit {result.ExitCode}); it needs clang (apt-get install clang). Log:{Environment.NewLine}{text[Math.Max(0, text.Length - 4000)..]}");
        }

        // The CLI as built (every file its deps.json names), hard-linked where the file system allows, and the tool beside it.
        var app = Path.Combine(directory, "app");
        var copy = await CliWrap.Cli.Wrap("cp").WithArguments(["-al", $"{AppContext.BaseDirectory}.", app]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        if (!copy.IsSuccess)
        {
            await CliWrap.Cli.Wrap("cp").WithArguments(["-a", $"{AppContext.BaseDirectory}.", app]).ExecuteAsync();
        }

        File.Copy(executable, Path.Combine(app, NativeManifestTool.FileName), overwrite: true);
        return directory;
    }
}

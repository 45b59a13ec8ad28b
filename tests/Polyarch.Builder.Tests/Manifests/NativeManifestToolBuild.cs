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

    /// <summary>
    /// <c>polyarch-builder</c> as scripts/services.sh installs it: a copy of <see cref="AppDirectory"/> arranged by the scripts'
    /// own <c>arrange_front_door</c>, so the command is a link to the native tool and the managed apphost polyarch-builder-managed.
    /// </summary>
    public string FrontDoor => Path.Combine(_directory, "front", NativeManifestTool.CliFileName);

    /// <summary>A front door with nothing to hand other verbs to: the native tool alone, linked as polyarch-builder.</summary>
    public string LoneFrontDoor => Path.Combine(_directory, "lone", NativeManifestTool.CliFileName);

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
        await CopyAsync(AppContext.BaseDirectory.TrimEnd('/'), app);

        File.Copy(executable, Path.Combine(app, NativeManifestTool.FileName), overwrite: true);

        var front = Path.Combine(directory, "front");
        await CopyAsync(app, front);
        await CliWrap.Cli.Wrap("bash")
            .WithArguments(["-c", """. "$1/scripts/lib/common.sh" && arrange_front_door "$2" """, "arrange", RepositoryRoot.Path, front])
            .ExecuteAsync();

        var lone = Directory.CreateDirectory(Path.Combine(directory, "lone")).FullName;
        File.Copy(executable, Path.Combine(lone, NativeManifestTool.FileName));
        File.CreateSymbolicLink(Path.Combine(lone, NativeManifestTool.CliFileName), NativeManifestTool.FileName);
        return directory;
    }

    // A copy of a directory, hard-linked where the file system allows.
    private static async Task CopyAsync(string from, string to)
    {
        var linked = await CliWrap.Cli.Wrap("cp").WithArguments(["-al", $"{from}/.", to]).WithValidation(CommandResultValidation.None).ExecuteAsync();
        if (!linked.IsSuccess)
        {
            await CliWrap.Cli.Wrap("cp").WithArguments(["-a", $"{from}/.", to]).ExecuteAsync();
        }
    }
}

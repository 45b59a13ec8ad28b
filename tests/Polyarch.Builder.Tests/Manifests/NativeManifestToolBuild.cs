using CliWrap;
using CliWrap.Buffered;
using Polyarch.Builder.Cli;
using Polyarch.Testing;

namespace Polyarch.Builder.Tests.Manifests;

/// <summary>
/// polyarch-builder-manifest published ahead of time, once per test class, by the scripts' own function
/// (scripts/lib/common.sh dotnet_publish_aot, as services.sh and images.sh publish it). Needs clang: fails loudly without it.
/// </summary>
public sealed class NativeManifestToolBuild : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-native-manifest-").FullName;

    /// <summary>The native executable.</summary>
    public string Executable => Path.Combine(_directory, NativeManifestTool.FileName);

    public async Task InitializeAsync()
    {
        var log = Path.Combine(_directory, "publish.log");
        var result = await CliWrap.Cli.Wrap("bash")
            .WithArguments([
                "-c", """. "$1/scripts/lib/common.sh" && dotnet_publish_aot "$1/builder/Polyarch.Builder.ManifestTool" "$(dotnet_rid)" "$2" "$3" """,
                "publish", RepositoryRoot.Path, _directory, log])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        if (!result.IsSuccess || !File.Exists(Executable))
        {
            var text = File.Exists(log) ? await File.ReadAllTextAsync(log) : "(no log)";
            throw new InvalidOperationException(
                $"Publishing polyarch-builder-manifest with Native AOT failed (exit {result.ExitCode}); it needs clang (apt-get install clang). Log:{Environment.NewLine}{text[Math.Max(0, text.Length - 4000)..]}");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }
}

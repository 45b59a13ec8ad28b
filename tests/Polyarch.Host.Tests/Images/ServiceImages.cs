using System.Collections.Concurrent;
using System.Text.Json;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>
/// Polyarch's own images in the host registry, made by scripts/images.sh — built once and cached by the hash of
/// their inputs: the first run on a new machine takes several minutes (two Debian roots with mmdebstrap, arm64 under
/// QEMU; two self-contained publishes), later runs only ask the registry.
/// </summary>
internal static class ServiceImages
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Images = new();

    /// <summary>The image reference of polyarch/<paramref name="component"/> for the current sources, built if missing.</summary>
    public static Task<string> EnsureAsync(string component) =>
        Images.GetOrAdd(component, c => new Lazy<Task<string>>(() => BuildAsync(c))).Value;

    /// <summary>The architectures of the index (attestation entries, platform unknown/unknown, left out).</summary>
    public static async Task<IReadOnlyList<string>> ArchitecturesAsync(string image)
    {
        using var index = await RawIndexAsync(image);
        return index.RootElement.GetProperty("manifests").EnumerateArray()
            .Select(m => m.GetProperty("platform"))
            .Where(p => p.GetProperty("os").GetString() != "unknown")
            .Select(p => p.GetProperty("architecture").GetString()!)
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The index as the registry serves it.</summary>
    public static async Task<JsonDocument> RawIndexAsync(string image)
    {
        var raw = await Cli.Wrap(HostSettings.DockerCli).WithArguments(["buildx", "imagetools", "inspect", "--raw", image]).ExecuteBufferedAsync();
        return JsonDocument.Parse(raw.StandardOutput);
    }

    private static async Task<string> BuildAsync(string component)
    {
        await ContainerHost.EnsureUpAsync();
        var script = RepositoryRoot.Combine("scripts", "images.sh");
        var ensure = await Cli.Wrap("bash").WithArguments([script, "ensure", component])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        ensure.ExitCode.ShouldBe(0, $"scripts/images.sh ensure {component}:\n{ensure.StandardOutput}\n{ensure.StandardError}");
        var tag = await Cli.Wrap("bash").WithArguments([script, "tag", component]).ExecuteBufferedAsync();
        return tag.StandardOutput.Trim();
    }
}

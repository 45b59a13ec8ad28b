using Microsoft.Extensions.Options;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Buildx;

/// <summary>Asks buildx which platforms the configured builder can build, and refuses impossible requests up front.</summary>
internal sealed class BuilderPlatforms(DockerCli docker, IOptions<BuilderOptions> options, TimeProvider time)
{
    // A builder's platforms change only when nodes are added or binfmt changes; ask again after this long.
    private static readonly TimeSpan CacheDuration = TimeSpan.FromMinutes(5);
    private readonly string? _builderName = options.Value.BuilderName;
    private (IReadOnlyList<string> Platforms, DateTimeOffset Expires)? _cached;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken)
    {
        if (_cached is { } cached && cached.Expires > time.GetUtcNow())
        {
            return cached.Platforms;
        }

        var platforms = await InspectAsync(cancellationToken).ConfigureAwait(false);
        _cached = (platforms, time.GetUtcNow() + CacheDuration);
        return platforms;
    }

    private async Task<IReadOnlyList<string>> InspectAsync(CancellationToken cancellationToken)
    {
        List<string> arguments = ["buildx", "inspect"];
        if (_builderName is not null)
        {
            arguments.Add("--");
            arguments.Add(_builderName);
        }

        var result = await docker.RunAsync(arguments, Path.GetTempPath(), null, cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new DependencyUnavailableException(
                $"docker buildx inspect {_builderName} failed (exit {result.ExitCode}): {result.StandardErrorTail.Trim()}. Start the engine (./scripts/host.sh up) or fix Builder:BuilderName.");
        }

        return Parse(result.StandardOutput);
    }

    /// <summary>Every node's <c>Platforms:</c> line, normalised and de-duplicated.</summary>
    internal static IReadOnlyList<string> Parse(string inspectOutput) =>
        [.. inspectOutput.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("Platforms:", StringComparison.Ordinal))
            .SelectMany(l => l["Platforms:".Length..].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Select(PlatformName.Normalize)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)];

    /// <summary>Throws when a requested platform is not among the builder's.</summary>
    public async Task EnsureSupportedAsync(IReadOnlyList<string> requested, CancellationToken cancellationToken)
    {
        var available = await ListAsync(cancellationToken).ConfigureAwait(false);
        var missing = requested.Where(p => !available.Contains(p, StringComparer.Ordinal)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidBuildInputException(
                $"The buildx builder '{_builderName ?? "default"}' cannot build {string.Join(", ", missing)} (it builds {string.Join(", ", available)}). " +
                "Choose those platforms, add a node with `docker buildx create --append --platform …`, or enable QEMU binfmt.");
        }
    }
}

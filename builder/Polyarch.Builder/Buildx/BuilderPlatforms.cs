using System.Text.Json;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Buildx;

/// <summary>
/// Asks buildx which platforms the configured builder can build, and refuses impossible requests up front.
/// <c>docker buildx inspect</c> costs 0.6–3 s here, so its answer is kept for <see cref="CacheDuration"/> in memory
/// and in the state directory (each <c>polyarch-builder build</c> is a new process). A cached answer only ever
/// lets a build go ahead: before a platform is refused, buildx is asked again. One inspect at a time: whoever needs an
/// answer while one runs (the service's start-up warm-up, a build, a second build) awaits that one, never a second.
/// The answer is also kept in <see cref="BuilderOptions.CacheDirectory"/> under the builder's identity
/// (<see cref="BuilderIdentity"/>), so a process on a fresh state directory uses it too (issue 18, P5), and any answer
/// given for another identity — a changed builder, engine or binfmt — is not used.
/// </summary>
internal sealed class BuilderPlatforms(DockerCli docker, IOptions<BuilderOptions> options, TimeProvider time, BuilderIdentity? identity = null)
{
    // A builder's platforms change only when nodes are added or binfmt changes; ask again after this long.
    public static readonly TimeSpan CacheDuration = TimeSpan.FromMinutes(5);

    // Shared by every caller, so no caller's token ends it: a hung client must not hold every later build, though.
    private static readonly TimeSpan InspectTimeout = TimeSpan.FromMinutes(1);
    private readonly Lock _gate = new();
    private Task<IReadOnlyList<string>>? _inspecting;
    private readonly string? _builderName = options.Value.BuilderName;
    private readonly string _cacheFile = Path.Combine(StatePaths.BuilderDirectory(options.Value.StateDirectory), "buildx-platforms.json");
    private readonly string _identity = (identity ?? BuilderIdentity.FromEnvironment()).Fingerprint(options.Value.BuilderName, docker.DockerPath, docker.BuildxPath);
    private CachedPlatforms? _cached;

    public async Task<IReadOnlyList<string>> ListAsync(CancellationToken cancellationToken) =>
        Fresh(_cached) ?? Fresh(_cached = ReadCache()) ?? await RefreshAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Throws when a requested platform is not among the builder's (as buildx says now, not as cached).</summary>
    public async Task EnsureSupportedAsync(IReadOnlyList<string> requested, CancellationToken cancellationToken)
    {
        var available = Fresh(_cached) ?? Fresh(_cached = ReadCache());
        if (available is null || Missing(requested, available).Count > 0)
        {
            available = await RefreshAsync(cancellationToken).ConfigureAwait(false);
        }

        var missing = Missing(requested, available);
        if (missing.Count > 0)
        {
            throw new InvalidBuildInputException(
                $"The buildx builder '{_builderName ?? "default"}' cannot build {string.Join(", ", missing)} (it builds {string.Join(", ", available)}). " +
                "Choose those platforms, add a node with `docker buildx create --append --platform …`, or enable QEMU binfmt.");
        }
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

    private static List<string> Missing(IReadOnlyList<string> requested, IReadOnlyList<string> available) =>
        [.. requested.Where(p => !available.Contains(p, StringComparer.Ordinal))];

    private IReadOnlyList<string>? Fresh(CachedPlatforms? cached) =>
        cached is not null && cached.Builder == (_builderName ?? "") && cached.Identity == _identity && cached.Expires > time.GetUtcNow() ? cached.Platforms : null;

    private string SharedCacheFile => Path.Combine(options.Value.CacheDirectory, "buildx-platforms", $"{_identity[..32]}.json");

    private Task<IReadOnlyList<string>> RefreshAsync(CancellationToken cancellationToken)
    {
        Task<IReadOnlyList<string>> inspecting;
        lock (_gate)
        {
            // A finished inspect is never reused (a failure is asked again next time); a running one is joined.
            if (_inspecting is null || _inspecting.IsCompleted)
            {
                _inspecting = InspectAndCacheAsync();
            }

            inspecting = _inspecting;
        }

        return inspecting.WaitAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<string>> InspectAndCacheAsync()
    {
        using var timeout = new CancellationTokenSource(InspectTimeout, time);
        IReadOnlyList<string> platforms;
        try
        {
            platforms = await InspectAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(
                $"docker buildx inspect {_builderName} did not answer within {InspectTimeout.TotalSeconds:0} s. Check the engine (./scripts/host.sh status) and Builder:BuilderName.");
        }

        _cached = new CachedPlatforms(_builderName ?? "", platforms, time.GetUtcNow() + CacheDuration, _identity);
        WriteCache(_cached);
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

    // The on-disk copies are hints: unreadable or foreign content means "ask buildx", never an error. This state directory's
    // first, then the one shared by every state directory for this builder identity.
    private CachedPlatforms? ReadCache()
    {
        var own = Read(_cacheFile);
        return Fresh(own) is not null ? own : Read(SharedCacheFile) ?? own;
    }

    private static CachedPlatforms? Read(string file)
    {
        try
        {
            return File.Exists(file) ? JsonSerializer.Deserialize<CachedPlatforms>(File.ReadAllText(file)) : null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    private void WriteCache(CachedPlatforms cached)
    {
        Write(_cacheFile, cached, shared: false);
        Write(SharedCacheFile, cached, shared: true);
    }

    private static void Write(string file, CachedPlatforms cached, bool shared)
    {
        try
        {
            var directory = Path.GetDirectoryName(file)!;
            if (shared)
            {
                StatePaths.CreatePrivateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory);
            }

            var temporary = $"{file}.{Environment.ProcessId}.tmp";
            File.WriteAllText(temporary, JsonSerializer.Serialize(cached));
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            File.Move(temporary, file, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // Best effort: the next process asks buildx itself.
        }
    }

    private sealed record CachedPlatforms(string Builder, IReadOnlyList<string> Platforms, DateTimeOffset Expires, string? Identity = null);
}

using System.Diagnostics.CodeAnalysis;

namespace Polyarch.Registry.Platforms;

/// <summary>
/// The operating systems, architectures and variants a platform someone asks for may name: the OCI image-index
/// spec's values (GOOS, GOARCH; "Platform Variants": arm v6-v8, arm64 v8) plus what containerd orders
/// (arm v5, arm64 v8.x and v9.x, amd64 microarchitecture levels v1-v4). Index entries read from a registry are
/// not checked against it: a registry may hold anything, but nobody can ask for a machine that does not exist.
/// </summary>
internal static class KnownPlatforms
{
    // https://github.com/opencontainers/image-spec/blob/main/image-index.md (platform.os: GOOS values).
    private static readonly string[] OperatingSystems =
        ["aix", "android", "darwin", "dragonfly", "freebsd", "illumos", "ios", "js", "linux", "netbsd", "openbsd", "plan9", "solaris", "wasip1", "windows"];

    // platform.architecture: GOARCH values.
    private static readonly string[] Architectures =
        ["386", "amd64", "arm", "arm64", "loong64", "mips", "mipsle", "mips64", "mips64le", "ppc64", "ppc64le", "riscv64", "s390x", "wasm"];

    // Variants as they are after normalisation (amd64/v1 and arm64/v8 are written without a variant).
    private static readonly Dictionary<string, string[]> Variants = new(StringComparer.Ordinal)
    {
        ["amd64"] = ["v2", "v3", "v4"],
        ["arm"] = ["v5", "v6", "v7", "v8"],
        ["arm64"] = ["v8.1", "v8.2", "v8.3", "v8.4", "v8.5", "v8.6", "v8.7", "v8.8", "v8.9", "v9", "v9.1", "v9.2", "v9.3", "v9.4", "v9.5"],
    };

    private static readonly Dictionary<string, string> VariantsShown = new(StringComparer.Ordinal)
    {
        ["amd64"] = "v1 (the default), v2, v3 or v4",
        ["arm"] = "v5, v6, v7 (the default) or v8",
        ["arm64"] = "v8 (the default), v8.1-v8.9, v9 or v9.1-v9.5",
    };

    /// <summary>Null when <paramref name="platform"/> (normalised) names a known os, architecture and variant; else why not.</summary>
    public static bool IsKnown(Platform platform, [NotNullWhen(false)] out string? problem)
    {
        if (!OperatingSystems.Contains(platform.Os, StringComparer.Ordinal))
        {
            problem = $"'{platform.Os}' is not an operating system the OCI image spec knows (GOOS: {string.Join(", ", OperatingSystems)})";
            return false;
        }

        if (!Architectures.Contains(platform.Architecture, StringComparer.Ordinal))
        {
            problem = $"'{platform.Architecture}' is not an architecture the OCI image spec knows (GOARCH: {string.Join(", ", Architectures)}; aliases such as x86_64, aarch64 and ppc64el are accepted)";
            return false;
        }

        if (platform.Variant is { } variant)
        {
            if (!Variants.TryGetValue(platform.Architecture, out var known))
            {
                problem = $"{platform.Architecture} has no variants ('{variant}' was given): leave the variant out";
                return false;
            }

            if (!known.Contains(variant, StringComparer.Ordinal))
            {
                problem = $"'{variant}' is not a variant of {platform.Architecture}: use {VariantsShown[platform.Architecture]}";
                return false;
            }
        }

        problem = null;
        return true;
    }
}

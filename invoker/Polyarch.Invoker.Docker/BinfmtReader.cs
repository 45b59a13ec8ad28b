namespace Polyarch.Invoker.DockerEngine;

/// <summary>Reads the QEMU user-mode handlers registered in binfmt_misc: each enabled one is a platform run emulated.</summary>
internal static class BinfmtReader
{
    private static readonly Dictionary<string, string> QemuToPlatform = new(StringComparer.Ordinal)
    {
        ["qemu-x86_64"] = "linux/amd64",
        ["qemu-aarch64"] = "linux/arm64",
        ["qemu-arm"] = "linux/arm/v7",
        ["qemu-ppc64le"] = "linux/ppc64le",
        ["qemu-s390x"] = "linux/s390x",
        ["qemu-riscv64"] = "linux/riscv64",
        ["qemu-i386"] = "linux/386",
        ["qemu-mips64el"] = "linux/mips64le",
        ["qemu-loongarch64"] = "linux/loong64",
    };

    public static IReadOnlyList<string> ReadEmulatedPlatforms(string directory)
    {
        var platforms = new List<string>();
        if (!Directory.Exists(directory))
        {
            return platforms;
        }

        foreach (var (handler, platform) in QemuToPlatform)
        {
            var path = Path.Combine(directory, handler);
            try
            {
                if (File.Exists(path) && IsEnabled(File.ReadLines(path).FirstOrDefault()))
                {
                    platforms.Add(platform);
                }
            }
            catch (IOException)
            {
                // An entry removed while we read it is simply not there.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return platforms;
    }

    internal static bool IsEnabled(string? firstLine) => string.Equals(firstLine?.Trim(), "enabled", StringComparison.Ordinal);
}

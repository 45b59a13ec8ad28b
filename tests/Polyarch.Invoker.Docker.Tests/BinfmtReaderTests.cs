using Polyarch.Invoker.DockerEngine;

namespace Polyarch.Invoker.DockerEngine.Tests;

public sealed class BinfmtReaderTests
{
    [Fact]
    public void ReadEmulatedPlatforms_OnlyEnabledQemuHandlers()
    {
        var dir = Directory.CreateTempSubdirectory("binfmt-").FullName;
        File.WriteAllText(Path.Combine(dir, "qemu-aarch64"), "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\n");
        File.WriteAllText(Path.Combine(dir, "qemu-ppc64le"), "enabled\n");
        File.WriteAllText(Path.Combine(dir, "qemu-s390x"), "disabled\n");
        File.WriteAllText(Path.Combine(dir, "python3.11"), "enabled\n");

        var platforms = BinfmtReader.ReadEmulatedPlatforms(dir);

        platforms.ShouldBe(["linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        Directory.Delete(dir, recursive: true);
    }

    [Fact]
    public void ReadEmulatedPlatforms_NoBinfmtMounted_IsEmpty() =>
        BinfmtReader.ReadEmulatedPlatforms("/nonexistent/binfmt_misc").ShouldBeEmpty();
}

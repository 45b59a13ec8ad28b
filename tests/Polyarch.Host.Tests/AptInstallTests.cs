using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>
/// scripts/lib/apt.sh's <c>apt_install</c> when scripts run side by side — as runtimes.sh builds three roots at once, each
/// needing mmdebstrap on a fresh machine (seen: two of three died on dpkg's lock) — against a fake <c>apt-get</c> that, like
/// the real one, refuses a second install while one runs: one installs, the others wait for it and find the package there.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class AptInstallTests : IDisposable
{
    private const string FakeAptGet = """
        #!/bin/bash
        # A stand-in for apt-get: `update` succeeds; `install` holds dpkg's lock for a moment and refuses if it is held.
        dir=$(dirname "$0")
        case " $* " in
          *" update "*) exit 0 ;;
          *" install "*)
            mkdir "$dir/dpkg-lock" 2>/dev/null || { echo "E: Could not get lock /var/lib/dpkg/lock-frontend" >&2; exit 100; }
            echo install >> "$dir/calls"
            sleep 0.5
            touch "$dir/installed"
            rmdir "$dir/dpkg-lock" ;;
        esac
        """;

    private readonly string _directory = Directory.CreateTempSubdirectory("polyarch-apt-").FullName;

    [Fact]
    public async Task Three_installs_side_by_side_install_once_and_all_succeed()
    {
        var bin = Path.Combine(_directory, "bin");
        Directory.CreateDirectory(bin);
        await File.WriteAllTextAsync(Path.Combine(bin, "apt-get"), FakeAptGet + "\n");
        // as_root runs sudo when the tests do not run as root: here it only runs the command.
        await File.WriteAllTextAsync(Path.Combine(bin, "sudo"), "#!/bin/sh\nexec \"$@\"\n");
        foreach (var file in new[] { "apt-get", "sudo" })
        {
            File.SetUnixFileMode(Path.Combine(bin, file), (UnixFileMode)0b111_000_000);
        }

        var script = $$"""
            set -u
            . "{{RepositoryRoot.Combine("scripts", "lib", "common.sh")}}"
            . "{{RepositoryRoot.Combine("scripts", "lib", "apt.sh")}}"
            for i in 1 2 3; do (apt_install default "{{bin}}/installed" mmdebstrap >/dev/null) & done
            failed=0
            for job in $(jobs -p); do wait "$job" || failed=$((failed + 1)); done
            echo "failed=$failed"
            """;
        var result = await Cli.Wrap("bash").WithArguments(["-c", script])
            .WithEnvironmentVariables(e => e.Set("PATH", $"{bin}:{Environment.GetEnvironmentVariable("PATH")}").Set("POLYARCH_STATE_DIR", Path.Combine(_directory, "state")))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();

        result.StandardOutput.ShouldContain("failed=0", customMessage: result.StandardError);
        (await File.ReadAllLinesAsync(Path.Combine(bin, "calls"))).ShouldBe(["install"], "the two that waited found the package installed");
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}

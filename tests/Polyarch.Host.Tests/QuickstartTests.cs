using System.Runtime.Versioning;
using System.Text;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Host.Tests;

/// <summary>
/// The whole flow as a user runs it: scripts/quickstart.sh makes a real commit, pushes it to a bare repository
/// whose post-receive hook asks polyarch-builder to build three platforms; the registry's webhook reaches
/// polyarch-invoker, whose rule runs the new index on linux/amd64, linux/arm64 and linux/ppc64le.
/// </summary>
[Collection(HostCollection.Name)]
[Trait("Category", "Integration")]
[SupportedOSPlatform("linux")]
public sealed partial class QuickstartTests
{
    [Fact]
    public async Task I_can_push_a_commit_and_see_it_answer_on_three_architectures()
    {
        await ContainerHost.EnsureUpAsync();

        var result = await Cli.Wrap(RepositoryRoot.Combine("scripts", "quickstart.sh"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync(Encoding.UTF8);

        var output = result.StandardOutput + result.StandardError;
        result.ExitCode.ShouldBe(0, output);
        var commit = CommitLine().Match(output);
        commit.Success.ShouldBeTrue(output);
        output.ShouldContain("succeeded");
        foreach (var (platform, arch) in new[] { ("linux/amd64", "x86_64"), ("linux/arm64", "aarch64"), ("linux/ppc64le", "ppc64le") })
        {
            var row = output.Split('\n').SingleOrDefault(line => line.TrimStart().StartsWith(platform + " ", StringComparison.Ordinal));
            row.ShouldNotBeNull($"no answer from {platform}:\n{output}");
            row.ShouldContain("success");
            row.ShouldContain($"\"arch\":\"{arch}\"");
            row.ShouldContain("\"hello\":\"polyarch\"");
        }

        await AssertTheLogsArePrivateAndHoldNoSecretAsync();
    }

    /// <summary>
    /// After the whole flow, every log of the state directory is private (logs/ 0700, files 0600, invoker.db 0600) and
    /// none holds a secret value the flow used: the registry webhook token, the API keys, the git webhook secret.
    /// </summary>
    private static async Task AssertTheLogsArePrivateAndHoldNoSecretAsync()
    {
        const UnixFileMode ownerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        var state = HostSettings.StateDirectory;
        var secretFiles = Directory.GetFiles(Path.Combine(state, "secrets"))
            .Append(Path.Combine(state, "builder", "webhook-secret"))
            .Where(File.Exists);
        var secrets = new List<(string File, string Value)>();
        foreach (var file in secretFiles)
        {
            var value = (await File.ReadAllTextAsync(file)).Trim();
            if (value.Length >= 8)
            {
                secrets.Add((file, value));
            }
        }

        secrets.ShouldNotBeEmpty($"no secret found under {state}");
        var logs = Path.Combine(state, "logs");
        File.GetUnixFileMode(logs).ShouldBe(ownerReadWrite | UnixFileMode.UserExecute, $"{logs} must be 0700");
        foreach (var log in Directory.GetFiles(logs, "*", SearchOption.AllDirectories))
        {
            File.GetUnixFileMode(log).ShouldBe(ownerReadWrite, $"{log} must be 0600");
            var text = await File.ReadAllTextAsync(log);
            foreach (var (file, value) in secrets)
            {
                text.Contains(value, StringComparison.Ordinal).ShouldBeFalse($"{log} holds the secret of {file}");
            }
        }

        var database = Path.Combine(state, "invoker.db");
        File.GetUnixFileMode(database).ShouldBe(ownerReadWrite, $"{database} must be 0600");
    }

    [GeneratedRegex(@"git push \(commit ([0-9a-f]{12})\)")]
    private static partial Regex CommitLine();
}

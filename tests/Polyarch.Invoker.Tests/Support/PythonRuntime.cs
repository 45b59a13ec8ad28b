using CliWrap;
using CliWrap.Buffered;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Support;

/// <summary>
/// polyarch/python:3.11 as scripts/runtimes.sh pushed it for the current sources (scripts/test.sh runs
/// <c>scripts/runtimes.sh ensure</c> before the tests). Tests never build it; when it is missing they fail saying how.
/// </summary>
internal static class PythonRuntime
{
    private static readonly Lazy<Task<string>> Reference = new(LoadAsync);

    /// <summary>The pinned reference (…/polyarch/python:3.11-&lt;inputs&gt;).</summary>
    public static Task<string> GetAsync() => Reference.Value;

    private static async Task<string> LoadAsync()
    {
        await ContainerHost.EnsureUpAsync();
        var script = RepositoryRoot.Combine("scripts", "runtimes.sh");
        var tag = await Cli.Wrap("bash").WithArguments([script, "tag", "python"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        tag.ExitCode.ShouldBe(0, $"scripts/runtimes.sh tag python failed:\n{tag.StandardError}");
        var check = await Cli.Wrap("bash").WithArguments([script, "check", "python"]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        return check.ExitCode == 0
            ? tag.StandardOutput.Trim()
            : throw new InvalidOperationException(
                $"The Python runtime image {tag.StandardOutput.Trim()} is not in the registry. Build it with 'scripts/runtimes.sh ensure' in {RepositoryRoot.Path} " +
                "(scripts/test.sh does so before the tests; the first build takes minutes) and run the tests again.");
    }
}

using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Cli;

/// <summary>`polyarch-builder build` with input that can never build, run as the real executable: exit 2, one line, nothing stored.</summary>
public sealed class BuildCommandInputTests : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();

    public static TheoryData<string, string[], string> Hostile() => new()
    {
        { "empty source", ["build", ""], "PATH_OR_URL is empty" },
        { "300-character ref", ["build", "{repo}", "--ref", new string('a', 300)], "at most 255" },
        { "ref with '..'", ["build", "{repo}", "--ref", "a..b"], "'..'" },
        { "option-like ref", ["build", "{repo}", "--ref=--upload-pack=touch /tmp/x"], "starts with '-'" },
        { "registry UPPER/Case", ["build", "{repo}", "--registry", "UPPER/Case"], "The registry 'UPPER/Case' is not a host[:port]" },
        { "repository UPPER/Case", ["build", "{repo}", "--repository", "UPPER/Case"], "must be lower case" },
        { "repository a..b", ["build", "{repo}", "--repository", "a..b"], "'a..b'" },
        { "repository $(id)", ["build", "{repo}", "--repository", "$(id)"], "'$(id)'" },
        { "repository ../../etc/passwd", ["build", "{repo}", "--repository", "../../etc/passwd"], "'..'" },
        { "repository over 255", ["build", "{repo}", "--repository", string.Join('/', Enumerable.Repeat(new string('a', 100), 3))], "at most 255" },
    };

    [Theory]
    [MemberData(nameof(Hostile))]
    public async Task Input_that_can_never_build_exits_2_with_one_line_and_stores_nothing(string @case, string[] arguments, string expected)
    {
        _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });

        var result = await BuilderProcess.RunAsync(_state.Path, [.. arguments.Select(a => a.Replace("{repo}", _repository.Path, StringComparison.Ordinal))]);

        result.ExitCode.ShouldBe(2, $"{@case}: {result.Stderr}");
        result.StderrLines.ShouldHaveSingleItem($"{@case}: {result.Stderr}").ShouldStartWith("error: ");
        result.Stderr.ShouldContain(expected);
        result.Stderr.ShouldNotContain("   at ");
        Directory.Exists(Path.Combine(_state.Path, "builder", "mirrors")).ShouldBeFalse("nothing is fetched for input that can never build");
        File.Exists(Path.Combine(_state.Path, "builder", "builds.db")).ShouldBeFalse("nothing is stored");
    }

    public void Dispose()
    {
        _repository.Dispose();
        _state.Dispose();
    }
}

using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Git;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Git;

public sealed class GitSourceTests : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();
    private readonly ServiceProvider _services;
    private readonly GitSource _git;

    public GitSourceTests()
    {
        _services = BuilderServices.Create(_state.Path);
        _git = _services.GetRequiredService<GitSource>();
    }

    [Fact]
    public async Task Resolve_without_ref_takes_the_default_branch()
    {
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });

        var source = await _git.ResolveAsync(_repository.Path, null, null, CancellationToken.None);

        source.Commit.ShouldBe(commit);
        source.Branch.ShouldBe("main");
        source.DefaultBranch.ShouldBe("main");
        source.IsDefaultBranch.ShouldBeTrue();
    }

    [Fact]
    public async Task Resolve_branch_tag_and_commit_fetches_incrementally()
    {
        var first = _repository.Commit(new Dictionary<string, string> { ["a"] = "1" });
        await _git.ResolveAsync(_repository.Path, null, null, CancellationToken.None);
        _repository.Switch("feature/arm-fix");
        var second = _repository.Commit(new Dictionary<string, string> { ["a"] = "2" });
        _repository.Tag("v1");
        _repository.Switch("main", create: false);

        var branch = await _git.ResolveAsync(_repository.Path, "feature/arm-fix", null, CancellationToken.None);
        var tag = await _git.ResolveAsync(_repository.Path, "v1", null, CancellationToken.None);
        var exact = await _git.ResolveAsync(_repository.Path, null, first[..10], CancellationToken.None);

        branch.Commit.ShouldBe(second);
        branch.Branch.ShouldBe("feature/arm-fix");
        branch.IsDefaultBranch.ShouldBeFalse();
        tag.Commit.ShouldBe(second);
        tag.Branch.ShouldBeNull();
        exact.Commit.ShouldBe(first);
        Directory.GetDirectories(Path.Combine(_state.Path, "builder", "mirrors")).Length.ShouldBe(1);
    }

    [Theory]
    [InlineData("no-such-branch", null)]
    [InlineData("..", null)]
    [InlineData("refs/heads/main\nx", null)]
    [InlineData(null, "zzzzzzz")]
    [InlineData(null, "abc")]
    [InlineData(null, "0123456789012345678901234567890123456789")]
    public async Task Resolve_unknown_or_malformed_input_is_invalid_input(string? gitRef, string? commit)
    {
        _repository.Commit(new Dictionary<string, string> { ["a"] = "1" });

        var exception = await Should.ThrowAsync<InvalidBuildInputException>(() => _git.ResolveAsync(_repository.Path, gitRef, commit, CancellationToken.None));

        exception.ExitCode.ShouldBe(2);
    }

    [Fact]
    public async Task Resolve_a_missing_local_path_is_invalid_input_naming_it()
    {
        var missing = Path.Combine(_state.Path, "nowhere");

        var exception = await Should.ThrowAsync<InvalidBuildInputException>(() => _git.ResolveAsync(missing, null, null, CancellationToken.None));

        exception.Message.ShouldContain(missing);
    }

    [Fact]
    public async Task Resolve_an_unreachable_remote_is_a_dependency_error_naming_it()
    {
        const string url = "http://127.0.0.1:9/team/echo.git"; // discard port: nothing listens

        var exception = await Should.ThrowAsync<DependencyUnavailableException>(() => _git.ResolveAsync(url, null, null, CancellationToken.None));

        exception.Message.ShouldContain(url);
        exception.ExitCode.ShouldBe(3);
    }

    [Fact]
    public async Task Checkout_writes_exactly_the_commit_without_git_metadata()
    {
        var first = _repository.Commit(new Dictionary<string, string> { ["+bin/run"] = "#!/bin/sh\n", ["docs/readme"] = "one" });
        _repository.Commit(new Dictionary<string, string> { ["docs/readme"] = "two", ["new"] = "x" });
        var target = _state.Combine("checkout");
        Directory.CreateDirectory(target);
        await File.WriteAllTextAsync(Path.Combine(target, "stale"), "left over");

        await _git.CheckoutAsync(_repository.Path, first, target, CancellationToken.None);

        (await File.ReadAllTextAsync(Path.Combine(target, "docs", "readme"))).ShouldBe("one");
        File.Exists(Path.Combine(target, "new")).ShouldBeFalse();
        File.Exists(Path.Combine(target, "stale")).ShouldBeFalse();
        Directory.Exists(Path.Combine(target, ".git")).ShouldBeFalse();
        (File.GetUnixFileMode(Path.Combine(target, "bin", "run")) & UnixFileMode.UserExecute).ShouldBe(UnixFileMode.UserExecute);
        (File.GetUnixFileMode(Path.Combine(target, "docs", "readme")) & UnixFileMode.UserExecute).ShouldBe(UnixFileMode.None);
        (File.GetUnixFileMode(target) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)).ShouldBe(UnixFileMode.None);
    }

    public void Dispose()
    {
        _services.Dispose();
        _repository.Dispose();
        _state.Dispose();
    }
}

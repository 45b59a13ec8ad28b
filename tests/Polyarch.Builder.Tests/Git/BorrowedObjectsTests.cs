using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Git;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Git;

/// <summary>
/// A mirror of a repository on this machine borrows its objects (git alternates) instead of copying its history; the
/// source's own history may be rewritten and pruned, and a linked worktree lends its repository's objects.
/// </summary>
public sealed class BorrowedObjectsTests : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();
    private readonly ServiceProvider _services;
    private readonly GitSource _git;

    public BorrowedObjectsTests()
    {
        _services = BuilderServices.Create(_state.Path);
        _git = _services.GetRequiredService<GitSource>();
    }

    [Fact]
    public async Task A_local_sources_mirror_borrows_its_objects_and_copies_none()
    {
        for (var i = 0; i < 20; i++)
        {
            _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n", ["history"] = $"{i}" });
        }

        var head = _repository.Commit(new Dictionary<string, string> { ["docs/readme"] = "latest" });

        var source = await _git.ResolveAsync(_repository.Path, null, null, CancellationToken.None);
        var checkout = _state.Combine("checkout");
        await _git.CheckoutAsync(_repository.Path, source.Commit, checkout, CancellationToken.None);

        source.Commit.ShouldBe(head);
        (await File.ReadAllTextAsync(Path.Combine(checkout, "docs", "readme"))).ShouldBe("latest");
        var mirror = Mirror();
        (await File.ReadAllTextAsync(Path.Combine(mirror, "objects", "info", "alternates"))).ShouldBe(Path.Combine(_repository.Path, ".git", "objects") + "\n");
        StoredObjects(mirror).ShouldBeEmpty("the mirror holds refs only; its objects are the source's");
    }

    [Fact]
    public async Task A_source_whose_history_was_rewritten_and_pruned_still_resolves_and_checks_out()
    {
        var first = _repository.Commit(new Dictionary<string, string> { ["a"] = "1" });
        var dropped = _repository.Commit(new Dictionary<string, string> { ["a"] = "dropped" });
        (await _git.ResolveAsync(_repository.Path, null, null, CancellationToken.None)).Commit.ShouldBe(dropped);

        // The mirror's main still names `dropped` when the source forgets it entirely.
        await SourceGitAsync("reset", "--hard", first);
        var replacement = _repository.Commit(new Dictionary<string, string> { ["a"] = "replacement" });
        await SourceGitAsync("reflog", "expire", "--expire=now", "--all");
        await SourceGitAsync("gc", "--prune=now", "--quiet");
        (await GitAsync(_repository.Path, check: false, "cat-file", "-t", dropped)).ExitCode.ShouldNotBe(0, "the source no longer holds the dropped commit");

        var source = await _git.ResolveAsync(_repository.Path, null, null, CancellationToken.None);
        var checkout = _state.Combine("checkout");
        await _git.CheckoutAsync(_repository.Path, source.Commit, checkout, CancellationToken.None);

        source.Commit.ShouldBe(replacement);
        (await File.ReadAllTextAsync(Path.Combine(checkout, "a"))).ShouldBe("replacement");
    }

    [Fact]
    public async Task A_linked_worktree_lends_its_repositorys_objects()
    {
        _repository.Commit(new Dictionary<string, string> { ["a"] = "main" });
        using var worktrees = new TempDirectory("polyarch-worktree-");
        var worktree = Path.Combine(worktrees.Path, "feature");
        await SourceGitAsync("worktree", "add", "-q", "-b", "feature", worktree);
        await File.WriteAllTextAsync(Path.Combine(worktree, "a"), "feature");
        await GitAsync(worktree, check: true, "-c", "user.email=t@polyarch.invalid", "-c", "user.name=t", "commit", "-qam", "feature");
        var expected = (await GitAsync(worktree, check: true, "rev-parse", "HEAD")).StandardOutput.Trim();

        var source = await _git.ResolveAsync(worktree, null, null, CancellationToken.None);

        source.Commit.ShouldBe(expected);
        GitSource.ObjectDirectory(worktree).ShouldBe(Path.Combine(_repository.Path, ".git", "objects"));
        StoredObjects(Mirror()).ShouldBeEmpty();
    }

    [Fact]
    public void A_path_that_is_no_repository_lends_nothing()
    {
        GitSource.ObjectDirectory(_state.Path).ShouldBeNull();
    }

    public void Dispose()
    {
        _services.Dispose();
        _repository.Dispose();
        _state.Dispose();
    }

    private string Mirror() => Directory.GetDirectories(Path.Combine(_state.Path, "builder", "mirrors")).ShouldHaveSingleItem();

    /// <summary>Packs and loose objects the mirror holds itself.</summary>
    private static string[] StoredObjects(string mirror) =>
        [.. Directory.EnumerateFiles(Path.Combine(mirror, "objects"), "*", SearchOption.AllDirectories)
            .Where(f => !f.StartsWith(Path.Combine(mirror, "objects", "info"), StringComparison.Ordinal))];

    /// <summary>git in the source repository; fails the test unless it succeeds.</summary>
    private Task<BufferedCommandResult> SourceGitAsync(params string[] arguments) => GitAsync(_repository.Path, check: true, arguments);

    private static async Task<BufferedCommandResult> GitAsync(string directory, bool check, params string[] arguments)
    {
        var result = await CliWrap.Cli.Wrap("git").WithArguments(["-C", directory, .. arguments]).WithValidation(CommandResultValidation.None).ExecuteBufferedAsync();
        if (check)
        {
            result.ExitCode.ShouldBe(0, $"git {string.Join(' ', arguments)}: {result.StandardError}");
        }

        return result;
    }
}

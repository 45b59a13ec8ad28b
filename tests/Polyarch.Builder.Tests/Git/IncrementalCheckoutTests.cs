using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Git;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Git;

/// <summary>
/// A repository's checkout directory is kept between its builds (CheckoutDirectories) so BuildKit sends only what changed:
/// GitSource updates it from the commit it holds to the next — exactly the new tree, unchanged files untouched — and starts
/// over when it cannot tell what the directory holds.
/// </summary>
public sealed class IncrementalCheckoutTests : IDisposable
{
    private readonly TempDirectory _state = new();
    private readonly TestGitRepository _repository = new();
    private readonly ServiceProvider _services;
    private readonly GitSource _git;

    public IncrementalCheckoutTests()
    {
        _services = BuilderServices.Create(_state.Path);
        _git = _services.GetRequiredService<GitSource>();
    }

    [Fact]
    public async Task The_next_commit_changes_only_what_differs_and_leaves_exactly_its_tree()
    {
        var first = _repository.Commit(new Dictionary<string, string>
        {
            ["Dockerfile"] = "FROM scratch\n", ["app/main.py"] = "print(1)\n", ["app/lib/util.py"] = "x = 1\n", ["+run.sh"] = "#!/bin/sh\n", ["notes"] = "a",
        });
        var target = _state.Combine("checkouts", "repo-0");
        await _git.CheckoutAsync(_repository.Path, first, target, CancellationToken.None);
        Mark(Path.Combine(target, "Dockerfile"));
        Mark(Path.Combine(target, "app", "main.py"));

        _repository.Commit(new Dictionary<string, string> { ["app/main.py"] = "print(2)\n", ["docs/new.md"] = "b", ["+run.sh"] = "#!/bin/sh\necho\n" });
        _repository.Remove("app/lib/util.py");
        var second = _repository.Remove("notes");
        // notes is gone; app/lib is left empty; docs/new.md is new; run.sh changed and stays executable.
        await _git.CheckoutAsync(_repository.Path, second, target, CancellationToken.None);

        var fresh = _state.Combine("fresh");
        await _git.CheckoutAsync(_repository.Path, second, fresh, CancellationToken.None);
        Listing(target).ShouldBe(Listing(fresh));
        IsMarked(Path.Combine(target, "Dockerfile")).ShouldBeTrue("an unchanged file is left alone");
        IsMarked(Path.Combine(target, "app", "main.py")).ShouldBeFalse("a changed file is written anew");
        Directory.Exists(Path.Combine(target, "app", "lib")).ShouldBeFalse("a directory left empty goes too");
        (File.GetUnixFileMode(Path.Combine(target, "run.sh")) & UnixFileMode.UserExecute).ShouldBe(UnixFileMode.UserExecute);
        File.Exists(Path.Combine(target, "notes")).ShouldBeFalse();
        (await File.ReadAllTextAsync(GitSource.CommitMarker(target))).ShouldBe(second);
        (File.GetUnixFileMode(GitSource.CommitMarker(target)) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)).ShouldBe(UnixFileMode.None);
    }

    [Fact]
    public async Task A_file_that_becomes_a_directory_and_a_link_are_written_without_following_old_links()
    {
        var outside = _state.Combine("outside");
        await File.WriteAllTextAsync(outside, "untouched");
        var first = _repository.Commit(new Dictionary<string, string> { ["config"] = "flat", ["data"] = "x" });
        var target = _state.Combine("checkouts", "repo-0");
        await _git.CheckoutAsync(_repository.Path, first, target, CancellationToken.None);
        // The directory somehow holds a link where the next commit writes a file: it is replaced, never written through.
        File.Delete(Path.Combine(target, "data"));
        File.CreateSymbolicLink(Path.Combine(target, "data"), outside);

        _repository.Remove("config");
        var second = _repository.Commit(new Dictionary<string, string> { ["config/app.json"] = "{}", ["data"] = "y" });
        await _git.CheckoutAsync(_repository.Path, second, target, CancellationToken.None);

        (await File.ReadAllTextAsync(Path.Combine(target, "config", "app.json"))).ShouldBe("{}");
        (await File.ReadAllTextAsync(outside)).ShouldBe("untouched");
        new FileInfo(Path.Combine(target, "data")).LinkTarget.ShouldBeNull();
        (await File.ReadAllTextAsync(Path.Combine(target, "data"))).ShouldBe("y");
    }

    [Fact]
    public async Task Without_its_marker_the_directory_is_emptied_and_written_in_full()
    {
        var first = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var target = _state.Combine("checkouts", "repo-0");
        await _git.CheckoutAsync(_repository.Path, first, target, CancellationToken.None);
        await File.WriteAllTextAsync(Path.Combine(target, "stray"), "not in any commit");
        Mark(Path.Combine(target, "Dockerfile"));
        File.Delete(GitSource.CommitMarker(target)); // as a checkout cut short leaves it

        await _git.CheckoutAsync(_repository.Path, first, target, CancellationToken.None);

        File.Exists(Path.Combine(target, "stray")).ShouldBeFalse();
        IsMarked(Path.Combine(target, "Dockerfile")).ShouldBeFalse("every file is written anew");
    }

    [Fact]
    public void Each_repository_keeps_one_directory_and_a_concurrent_build_gets_another()
    {
        var directories = new CheckoutDirectories(_state.Combine("checkouts"), maxKept: 3);

        string first;
        using (var lease = directories.Take("/src/a"))
        {
            first = lease.Path;
            using var concurrent = directories.Take("/src/a");
            concurrent.Path.ShouldNotBe(first);
            directories.Take("/src/b").Path.ShouldNotBe(first);
        }

        using var again = directories.Take("/src/a");
        again.Path.ShouldBe(first);
    }

    [Fact]
    public async Task Only_the_most_recently_written_checkouts_are_kept()
    {
        var root = _state.Combine("checkouts");
        var directories = new CheckoutDirectories(root, maxKept: 2);
        var commit = _repository.Commit(new Dictionary<string, string> { ["Dockerfile"] = "FROM scratch\n" });
        var paths = new List<string>();
        foreach (var source in new[] { "/src/a", "/src/b", "/src/c" })
        {
            using var lease = directories.Take(source);
            await _git.CheckoutAsync(_repository.Path, commit, lease.Path, CancellationToken.None);
            File.SetLastWriteTimeUtc(GitSource.CommitMarker(lease.Path), Marked.AddMinutes(paths.Count));
            paths.Add(lease.Path);
        }

        using (directories.Take("/src/d"))
        {
            Directory.Exists(paths[0]).ShouldBeFalse("the least recently written goes");
            File.Exists(GitSource.CommitMarker(paths[0])).ShouldBeFalse();
            Directory.Exists(paths[2]).ShouldBeTrue();
        }
    }

    // A file's modification time set far in the past: still there after a checkout means the checkout did not touch it.
    private static readonly DateTime Marked = new(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc);

    private static void Mark(string path) => File.SetLastWriteTimeUtc(path, Marked);

    private static bool IsMarked(string path) => File.GetLastWriteTimeUtc(path) == Marked;

    private static string[] Listing(string root) =>
    [
        .. Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(path => $"{Path.GetRelativePath(root, path)} {(Directory.Exists(path) ? "dir" : File.ReadAllText(path))} {File.GetUnixFileMode(path)}"),
    ];

    public void Dispose()
    {
        _services.Dispose();
        _repository.Dispose();
        _state.Dispose();
    }
}

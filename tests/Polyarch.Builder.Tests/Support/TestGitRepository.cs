using LibGit2Sharp;

namespace Polyarch.Builder.Tests.Support;

/// <summary>A real git repository made with LibGit2Sharp in a temp directory, default branch main.</summary>
public sealed class TestGitRepository : IDisposable
{
    private static readonly Signature Author = new("Polyarch Test", "test@polyarch.invalid", DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
    private readonly TempDirectory _directory = new("polyarch-git-");

    public TestGitRepository()
    {
        Repository.Init(Path);
        using var repository = new Repository(Path);
        repository.Refs.UpdateTarget("HEAD", "refs/heads/main");
    }

    public string Path => _directory.Path;

    /// <summary>Writes files (path → content; a leading '+' in the key marks it executable) and commits them on the current branch.</summary>
    public string Commit(IReadOnlyDictionary<string, string> files, string message = "change")
    {
        using var repository = new Repository(Path);
        foreach (var (key, content) in files)
        {
            var executable = key.StartsWith('+');
            var relative = executable ? key[1..] : key;
            var full = System.IO.Path.Combine(Path, relative);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
            if (executable)
            {
                File.SetUnixFileMode(full, (UnixFileMode)0b111_101_101);
            }

            Commands.Stage(repository, relative);
        }

        return repository.Commit(message, Author, Author, new CommitOptions { AllowEmptyCommit = true }).Sha;
    }

    /// <summary>Deletes files (or whole directories) from the working tree and commits their removal.</summary>
    public string Remove(params string[] paths)
    {
        using var repository = new Repository(Path);
        foreach (var relative in paths)
        {
            var full = System.IO.Path.Combine(Path, relative);
            if (Directory.Exists(full))
            {
                Directory.Delete(full, recursive: true);
            }
            else
            {
                File.Delete(full);
            }

            Commands.Stage(repository, relative);
        }

        return repository.Commit("remove", Author, Author, new CommitOptions { AllowEmptyCommit = true }).Sha;
    }

    /// <summary>Copies a directory's files into the repository and commits them.</summary>
    public string CommitDirectory(string source, string message = "import")
    {
        var files = new Dictionary<string, string>();
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var relative = System.IO.Path.GetRelativePath(source, file);
            var executable = (File.GetUnixFileMode(file) & UnixFileMode.UserExecute) != 0;
            files[(executable ? "+" : "") + relative] = File.ReadAllText(file);
        }

        return Commit(files, message);
    }

    /// <summary>Creates a branch at HEAD and switches to it.</summary>
    public void Switch(string branch, bool create = true)
    {
        using var repository = new Repository(Path);
        var target = create ? repository.CreateBranch(branch) : repository.Branches[branch];
        Commands.Checkout(repository, target);
    }

    /// <summary>Creates a branch at HEAD without switching to it.</summary>
    public void Branch(string branch)
    {
        using var repository = new Repository(Path);
        repository.CreateBranch(branch);
    }

    public void Tag(string name)
    {
        using var repository = new Repository(Path);
        repository.ApplyTag(name);
    }

    public void Dispose() => _directory.Dispose();
}

using System.Text;
using LibGit2Sharp;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Git;

/// <summary>
/// Takes a build's git path once before the first build does (a <c>serve</c> starting up): loads libgit2's native library and
/// runs <see cref="GitSource"/>'s resolve (fetch into a mirror, the remote's HEAD) and checkout (tree export) on a one-commit
/// repository it makes in a directory of its own — local files only, no remote — then deletes it.
/// </summary>
internal static class GitWarmUp
{
    private static readonly Signature Author = new("polyarch-builder", "warm-up@polyarch.invalid", DateTimeOffset.UnixEpoch);

    public static async Task RunAsync(string directory, CancellationToken cancellationToken)
    {
        Delete(directory);
        try
        {
            var source = Path.Combine(directory, "source.git");
            var commit = CreateOneCommitRepository(source);
            var git = new GitSource(Options.Create(new BuilderOptions { StateDirectory = Path.Combine(directory, "state") }), NullLogger<GitSource>.Instance);
            var resolved = await git.ResolveAsync(source, null, null, cancellationToken).ConfigureAwait(false);
            if (resolved.Commit != commit)
            {
                throw new InvalidOperationException($"the warm-up repository resolved to {resolved.Commit}, not {commit}");
            }

            await git.CheckoutAsync(source, commit, Path.Combine(directory, "src"), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Delete(directory);
        }
    }

    /// <summary>A bare repository at <paramref name="path"/> whose <c>main</c> (its HEAD) is one commit of a one-line Dockerfile; answers the commit.</summary>
    internal static string CreateOneCommitRepository(string path)
    {
        Repository.Init(path, isBare: true);
        using var repository = new Repository(path);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("FROM scratch\n"));
        var tree = new TreeDefinition();
        tree.Add("Dockerfile", repository.ObjectDatabase.CreateBlob(content), Mode.NonExecutableFile);
        var commit = repository.ObjectDatabase.CreateCommit(Author, Author, "warm-up", repository.ObjectDatabase.CreateTree(tree), [], prettifyMessage: false);
        repository.Refs.Add("refs/heads/main", commit.Id);
        repository.Refs.UpdateTarget("HEAD", "refs/heads/main");
        return commit.Sha;
    }

    /// <summary>Deletes <paramref name="directory"/> and everything in it, if it is there (the warm-ups' own directories).</summary>
    internal static void Delete(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}

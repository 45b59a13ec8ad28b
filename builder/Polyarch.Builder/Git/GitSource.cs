using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using LibGit2Sharp;
using LibGit2Sharp.Handlers;
using Microsoft.Extensions.Options;
using Polyarch.Builder.Errors;
using Polyarch.Builder.Hosting;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Polyarch.Builder.Git;

/// <summary>Keeps one bare mirror per remote under the state directory and checks out exact commits from it.</summary>
internal sealed partial class GitSource
{
    private static readonly string[] FetchRefSpecs = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly string _mirrorsDirectory;
    private readonly string _username;
    private readonly string? _token;
    private readonly GitCli _gitCli;
    private readonly ILogger<GitSource> _logger;

    public GitSource(IOptions<BuilderOptions> options, ILogger<GitSource> logger)
    {
        _mirrorsDirectory = Path.Combine(StatePaths.BuilderDirectory(options.Value.StateDirectory), "mirrors");
        _username = options.Value.GitUsername;
        _token = options.Value.GitToken;
        _gitCli = new GitCli(options.Value.GitSshCommand);
        _logger = logger;
    }

    /// <summary>Fetches the remote into its mirror and resolves a ref or commit (default: the remote's HEAD).</summary>
    public async Task<ResolvedSource> ResolveAsync(string url, string? gitRef, string? commit, CancellationToken cancellationToken)
    {
        var normalized = SourceUrl.Normalize(url);
        if (SourceUrl.IsLocal(normalized) && !Directory.Exists(normalized))
        {
            throw new InvalidBuildInputException($"There is no repository at {normalized}. Pass the path of a git repository or its URL.");
        }

        if (commit is not null && !CommitPattern().IsMatch(commit))
        {
            throw new InvalidBuildInputException($"'{commit}' is not a commit id. Pass 7 to 40 hexadecimal characters to --commit, or use --ref for a branch or tag.");
        }

        return await WithMirrorAsync(normalized, repository =>
        {
            var defaultBranch = UpdateDefaultBranch(repository, normalized);
            if (commit is not null)
            {
                var found = repository.Lookup<Commit>(commit)
                    ?? throw new InvalidBuildInputException($"Commit {commit} is not on any branch or tag of {normalized}. Push it first or check the id.");
                return new ResolvedSource(normalized, found.Sha, BranchName(gitRef), defaultBranch);
            }

            var name = gitRef ?? defaultBranch
                ?? throw new InvalidBuildInputException($"{normalized} has no default branch (an empty repository?). Pass --ref or --commit.");
            string[] candidates = name.StartsWith("refs/", StringComparison.Ordinal) ? [name] : [$"refs/heads/{name}", $"refs/tags/{name}"];
            var reference = candidates.Where(Reference.IsValidName).Select(c => repository.Refs[c]).FirstOrDefault(r => r is not null)
                ?? throw new InvalidBuildInputException(
                    $"{normalized} has no branch or tag '{name}' (branches: {string.Join(", ", repository.Branches.Select(b => b.FriendlyName))}). Pass an existing --ref.");
            var target = reference.ResolveToDirectReference().Target.Peel<Commit>()
                ?? throw new InvalidBuildInputException($"'{name}' in {normalized} does not point at a commit.");
            var branch = reference.CanonicalName.StartsWith("refs/heads/", StringComparison.Ordinal) ? reference.CanonicalName["refs/heads/".Length..] : null;
            return new ResolvedSource(normalized, target.Sha, branch, defaultBranch);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes <paramref name="directory"/> hold exactly the tree of <paramref name="commit"/> (a private directory). When it holds
    /// a commit this builder wrote there before (<see cref="CommitMarker"/>), only what differs between the two trees is
    /// written or removed, so unchanged files keep their inode and times and a bake's context transfer sends just the change;
    /// otherwise the directory is emptied and the whole tree written. The marker is removed before the directory changes and
    /// written once it is complete, so a checkout cut short is redone in full.
    /// </summary>
    public async Task CheckoutAsync(string url, string commit, string directory, CancellationToken cancellationToken)
    {
        var normalized = SourceUrl.Normalize(url);
        // The commit was usually fetched when the request was resolved: fetch again only if it is missing.
        await WithMirrorAsync(normalized, repository =>
        {
            var found = repository.Lookup<Commit>(commit) ?? FetchAndLookup(repository, normalized, commit, cancellationToken)
                ?? throw new InvalidBuildInputException($"Commit {commit} is not on any branch or tag of {normalized}. Was it force-pushed away?");
            var marker = CommitMarker(directory);
            Commit? previous = null;
            if (File.Exists(marker))
            {
                previous = Directory.Exists(directory) ? repository.Lookup<Commit>(File.ReadAllText(marker).Trim()) : null;
                File.Delete(marker);
            }

            if (previous is null)
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }

                StatePaths.CreatePrivateDirectory(directory);
                TreeExporter.Export(found.Tree, directory, cancellationToken);
            }
            else
            {
                TreeExporter.Update(repository, previous.Tree, found.Tree, directory, cancellationToken);
            }

            WriteMarker(marker, found.Sha);
            return true;
        }, cancellationToken, fetch: false).ConfigureAwait(false);
    }

    /// <summary>The file beside a checkout directory naming the commit it holds (outside it: never part of a build context).</summary>
    public static string CommitMarker(string directory) => Path.TrimEndingDirectorySeparator(directory) + ".commit";

    private static void WriteMarker(string path, string commit)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(commit);
    }

    private Commit? FetchAndLookup(Repository repository, string normalized, string commit, CancellationToken cancellationToken)
    {
        Fetch(repository, normalized, cancellationToken);
        return repository.Lookup<Commit>(commit);
    }

    private async Task<T> WithMirrorAsync<T>(string normalized, Func<Repository, T> action, CancellationToken cancellationToken, bool fetch = true)
    {
        var key = SourceUrl.MirrorKey(normalized);
        var gate = _locks.GetOrAdd(key, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await Task.Run(() =>
            {
                var path = Path.Combine(_mirrorsDirectory, key + ".git");
                if (!Directory.Exists(Path.Combine(path, "objects")))
                {
                    Directory.CreateDirectory(_mirrorsDirectory);
                    Repository.Init(path, isBare: true);
                    BorrowObjects(path, normalized);
                }

                using var repository = new Repository(path);
                if (fetch || repository.Network.Remotes["origin"] is null)
                {
                    Fetch(repository, normalized, cancellationToken);
                }

                return action(repository);
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// A new mirror of a repository on this machine borrows its objects (git's alternates, as <c>git clone --shared</c>)
    /// rather than copying its history: the first fetch then writes refs only, however long the history (measured: 29–31 ms
    /// → 0.6–0.8 ms for 185 commits; the copy grows with the history, the borrowing does not). Commits are immutable and
    /// every build pins one, so reading them from the source is reading what a copy would hold. A source that cannot be
    /// opened (not a repository yet, a path with a line break) is mirrored by copying, as a remote is; so is every remote.
    /// </summary>
    private static void BorrowObjects(string mirror, string normalized)
    {
        if (!SourceUrl.IsLocal(normalized) || ObjectDirectory(normalized) is not { } objects)
        {
            return;
        }

        File.WriteAllText(Path.Combine(mirror, "objects", "info", "alternates"), objects + "\n");
    }

    /// <summary>The object directory of the repository at <paramref name="path"/> (a linked worktree's: the main one's), or null.</summary>
    internal static string? ObjectDirectory(string path)
    {
        string gitDirectory;
        try
        {
            using var source = new Repository(path);
            gitDirectory = source.Info.Path;
        }
        catch (RepositoryNotFoundException)
        {
            return null;
        }

        // A linked worktree's git directory (.git/worktrees/NAME) names the repository's own in `commondir`.
        var commonDirectoryFile = Path.Combine(gitDirectory, "commondir");
        var common = File.Exists(commonDirectoryFile)
            ? Path.GetFullPath(Path.Combine(gitDirectory, File.ReadAllText(commonDirectoryFile).Trim()))
            : gitDirectory;
        var objects = Path.GetFullPath(Path.Combine(common, "objects"));
        return Directory.Exists(objects) && !objects.Contains('\n', StringComparison.Ordinal) && !objects.Contains('\r', StringComparison.Ordinal) ? objects : null;
    }

    private void Fetch(Repository repository, string normalized, CancellationToken cancellationToken)
    {
        if (repository.Network.Remotes["origin"] is null)
        {
            repository.Network.Remotes.Add("origin", normalized, FetchRefSpecs[0]);
        }

        if (SourceUrl.IsSsh(normalized))
        {
            // libgit2 as LibGit2Sharp bundles it has no SSH transport: the git CLI fetches into the same bare mirror.
            _gitCli.Fetch(repository.Info.Path, normalized, FetchRefSpecs, cancellationToken);
            Log.Fetched(_logger, normalized);
            cancellationToken.ThrowIfCancellationRequested();
            return;
        }

        var options = new FetchOptions
        {
            Prune = true,
            TagFetchMode = TagFetchMode.None,
            CredentialsProvider = Credentials,
            OnTransferProgress = _ => !cancellationToken.IsCancellationRequested,
        };
        try
        {
            Commands.Fetch(repository, "origin", FetchRefSpecs, options, logMessage: null);
            Log.Fetched(_logger, normalized);
        }
        catch (LibGit2SharpException exception) when (!cancellationToken.IsCancellationRequested)
        {
            throw new DependencyUnavailableException(
                $"Fetching {normalized} failed: {exception.Message}. Check the URL, that the remote is reachable, and Builder:GitToken for private repositories.", exception);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private string? UpdateDefaultBranch(Repository repository, string normalized)
    {
        // The remote's HEAD names its default branch; remember it in the mirror's HEAD.
        var target = SourceUrl.IsSsh(normalized)
            ? _gitCli.DefaultBranch(repository.Info.Path, normalized, CancellationToken.None)
            : repository.Network.ListReferences(repository.Network.Remotes["origin"], Credentials).FirstOrDefault(r => r.CanonicalName == "HEAD") switch
            {
                SymbolicReference symbolic => symbolic.TargetIdentifier,
                _ => null,
            };
        if (target is not null && target.StartsWith("refs/heads/", StringComparison.Ordinal) && repository.Refs[target] is not null)
        {
            repository.Refs.UpdateTarget("HEAD", target);
            return target["refs/heads/".Length..];
        }

        Log.NoDefaultBranch(_logger, normalized);
        return null;
    }

    private Credentials Credentials(string url, string usernameFromUrl, SupportedCredentialTypes types) =>
        _token is null ? new DefaultCredentials() : new UsernamePasswordCredentials { Username = _username, Password = _token };

    private static string? BranchName(string? gitRef) =>
        gitRef is null ? null : gitRef.StartsWith("refs/heads/", StringComparison.Ordinal) ? gitRef["refs/heads/".Length..] : gitRef.StartsWith("refs/", StringComparison.Ordinal) ? null : gitRef;

    [GeneratedRegex("^[0-9a-fA-F]{7,40}$")]
    private static partial Regex CommitPattern();

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Fetched {SourceUrl} into its mirror")]
        public static partial void Fetched(ILogger logger, string sourceUrl);

        [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "{SourceUrl} has no default branch (HEAD); no :latest tag will be written")]
        public static partial void NoDefaultBranch(ILogger logger, string sourceUrl);
    }
}

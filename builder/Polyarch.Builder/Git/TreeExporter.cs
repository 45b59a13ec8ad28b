using LibGit2Sharp;

namespace Polyarch.Builder.Git;

/// <summary>Writes one commit's tree to a directory, like <c>git archive</c>: no .git, exact content.</summary>
internal static class TreeExporter
{
    public static void Export(Tree tree, string directory, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        foreach (var entry in tree)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = Path.Combine(directory, entry.Name);
            switch (entry.TargetType)
            {
                case TreeEntryTargetType.Tree:
                    Export((Tree)entry.Target, path, cancellationToken);
                    break;
                case TreeEntryTargetType.Blob:
                    WriteEntry((Blob)entry.Target, path, entry.Mode);
                    break;
                default:
                    // Submodules (GitLink) are not part of the build context; buildx would not see them either.
                    break;
            }
        }
    }

    /// <summary>
    /// Turns <paramref name="directory"/>, which holds <paramref name="from"/>, into <paramref name="to"/>: removes what is gone
    /// (and directories left empty), then writes what was added or changed. Everything is removed before it is written, so
    /// a path that was a symbolic link is never written through.
    /// </summary>
    public static void Update(Repository repository, Tree from, Tree to, string directory, CancellationToken cancellationToken)
    {
        var changes = repository.Diff.Compare<TreeChanges>(from, to);
        var root = Path.GetFullPath(directory);
        foreach (var change in changes.Where(c => c.Status is ChangeKind.Deleted or ChangeKind.Renamed or ChangeKind.Modified or ChangeKind.TypeChanged or ChangeKind.Added or ChangeKind.Copied))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var gone = change.Status is ChangeKind.Renamed or ChangeKind.Deleted ? change.OldPath : change.Path;
            Remove(root, gone);
            if (change.Status == ChangeKind.Renamed)
            {
                Remove(root, change.Path);
            }
        }

        foreach (var change in changes.Where(c => c.Status is not (ChangeKind.Deleted or ChangeKind.Unmodified or ChangeKind.Ignored or ChangeKind.Untracked)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (change.Mode == Mode.GitLink || change.Mode == Mode.Nonexistent)
            {
                continue; // Submodules are not part of the build context.
            }

            var path = Path.Combine(root, change.Path);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            WriteEntry(repository.Lookup<Blob>(change.Oid), path, change.Mode);
        }
    }

    // A tree's blob entry as a file (executable or not) or a symbolic link.
    private static void WriteEntry(Blob blob, string path, Mode mode)
    {
        if (mode == Mode.SymbolicLink)
        {
            File.CreateSymbolicLink(path, blob.GetContentText());
        }
        else
        {
            WriteBlob(blob, path, mode == Mode.ExecutableFile);
        }
    }

    // Removes a file or link (not following it), then the directories it leaves empty up to the root.
    private static void Remove(string root, string relative)
    {
        var path = Path.Combine(root, relative);
        var info = new FileInfo(path);
        if (info.Exists || info.LinkTarget is not null)
        {
            info.Delete();
        }
        else if (Directory.Exists(path) && new DirectoryInfo(path).LinkTarget is null)
        {
            Directory.Delete(path, recursive: true);
        }

        for (var parent = Path.GetDirectoryName(path); parent is not null && parent.Length > root.Length && Directory.Exists(parent) && !Directory.EnumerateFileSystemEntries(parent).Any(); parent = Path.GetDirectoryName(parent))
        {
            Directory.Delete(parent);
        }
    }

    private static void WriteBlob(Blob blob, string path, bool executable)
    {
        using (var source = blob.GetContentStream())
        using (var target = File.Create(path))
        {
            source.CopyTo(target);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, executable
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute
                : UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
    }
}

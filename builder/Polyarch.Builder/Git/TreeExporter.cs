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
                case TreeEntryTargetType.Blob when entry.Mode == Mode.SymbolicLink:
                    File.CreateSymbolicLink(path, ((Blob)entry.Target).GetContentText());
                    break;
                case TreeEntryTargetType.Blob:
                    WriteBlob((Blob)entry.Target, path, entry.Mode == Mode.ExecutableFile);
                    break;
                default:
                    // Submodules (GitLink) are not part of the build context; buildx would not see them either.
                    break;
            }
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

using System.Text;
using CliWrap;
using CliWrap.Buffered;

namespace Polyarch.Builder.Registries;

/// <summary>Merges a profile's files into a machine's root: only what changes is written, each change shown as a unified diff.</summary>
internal sealed class ProfileApplier(string root, TextWriter output)
{
    /// <summary>The files that changed (nothing is written when a merge cannot be made: every merge is checked first).</summary>
    public async Task<IReadOnlyList<ProfileFile>> ApplyAsync(IEnumerable<ProfileFile> files, CancellationToken cancellationToken)
    {
        var planned = new List<(ProfileFile File, string Target, string? Before, string After)>();
        foreach (var file in files.Where(f => f.Installed))
        {
            var target = Path.Combine(root, file.Path);
            var before = File.Exists(target) ? await File.ReadAllTextAsync(target, cancellationToken) : null;
            var after = before is null ? file.Content : file.Merge?.Invoke(before) ?? file.Content;
            planned.Add((file, target, before, after));
        }

        var changed = new List<ProfileFile>();
        foreach (var (file, target, before, after) in planned)
        {
            if (before == after)
            {
                await output.WriteLineAsync($"unchanged  {target}");
                continue;
            }

            await output.WriteAsync(await DiffAsync(file.Path, before, after, cancellationToken));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            // Write beside, then rename: a consumer reading the file never sees half of it.
            var temporary = target + ".polyarch-new";
            await File.WriteAllTextAsync(temporary, after, cancellationToken);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            }

            File.Move(temporary, target, overwrite: true);
            await output.WriteLineAsync($"{(before is null ? "created" : "updated"),-10} {target}");
            changed.Add(file);
        }

        return changed;
    }

    private static async Task<string> DiffAsync(string path, string? before, string after, CancellationToken cancellationToken)
    {
        var directory = Directory.CreateTempSubdirectory("polyarch-profile-diff-");
        try
        {
            var old = Path.Combine(directory.FullName, "old");
            var @new = Path.Combine(directory.FullName, "new");
            await File.WriteAllTextAsync(old, before ?? string.Empty, cancellationToken);
            await File.WriteAllTextAsync(@new, after, cancellationToken);
            var result = await CliWrap.Cli.Wrap("diff")
                .WithArguments(["-u", "--label", before is null ? "/dev/null" : $"a/{path}", "--label", $"b/{path}", "--", old, @new])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8, cancellationToken);
            // diff exits 1 when the files differ, 2 on trouble.
            return result.ExitCode <= 1 ? result.StandardOutput : $"(diff failed: {result.StandardError.Trim()})\n";
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

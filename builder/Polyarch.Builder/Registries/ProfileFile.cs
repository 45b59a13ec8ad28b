namespace Polyarch.Builder.Registries;

/// <summary>One file of a registry profile.</summary>
/// <param name="Consumer">Who reads it.</param>
/// <param name="Path">Where it lives, relative to the machine's root (etc/docker/daemon.json) or, for files that are not installed on this machine, to the output directory (kubernetes/…).</param>
/// <param name="Content">The file as the profile alone would write it.</param>
/// <param name="Merge">How to merge the profile into an existing file (null: the profile owns the whole file).</param>
/// <param name="Installed">Whether --apply writes it under --root (false: handed to someone else, e.g. kubectl).</param>
/// <param name="AfterChange">What must happen for the consumer to see a change (null: it reads the file on every use).</param>
internal sealed record ProfileFile(
    ProfileConsumer Consumer,
    string Path,
    string Content,
    Func<string, string>? Merge = null,
    bool Installed = true,
    string? AfterChange = null);

namespace Polyarch.Registry.Artifacts;

/// <summary>
/// The rule for layer titles: a plain file name. A title is a path on the puller's disk, so one with a directory
/// separator, <c>..</c> or a control character could write outside the target directory (the "zip slip" of artifacts).
/// </summary>
internal static class ArtifactTitles
{
    public const int MaxLength = 255;

    /// <summary>Why a title is not a plain file name, or null when it is one.</summary>
    public static string? Problem(string? title) => title switch
    {
        null or "" => "it has no org.opencontainers.image.title annotation",
        "." or ".." => $"its title '{title}' names a directory",
        _ when title.Contains('/', StringComparison.Ordinal) || title.Contains('\\', StringComparison.Ordinal) =>
            $"its title '{Printable(title)}' holds a path separator",
        _ when title.Any(char.IsControl) => $"its title '{Printable(title)}' holds a control character",
        _ when title.Length > MaxLength => $"its title is {title.Length} characters long (at most {MaxLength})",
        _ => null,
    };

    public static void Validate(string title, string source)
    {
        if (Problem(title) is { } problem)
        {
            throw new InvalidArtifactException(source, $"the file cannot be an artifact layer: {problem}. A title is a plain file name (no '/', '\\\\' or '..')");
        }
    }

    private static string Printable(string title) =>
        string.Concat(title.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
}

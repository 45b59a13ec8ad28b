using System.Text;

namespace Polyarch.Builder.Git;

/// <summary>
/// Ref names as <c>git check-ref-format</c> accepts them (git-check-ref-format(1), rules 1–10), plus the
/// limits a ref stored as a file has: at most 255 bytes (NAME_MAX) for a component and for the whole name.
/// </summary>
internal static class GitRefName
{
    /// <summary>The longest ref name accepted, in UTF-8 bytes.</summary>
    public const int MaxBytes = 255;

    /// <summary>Why <paramref name="name"/> is not a ref name, or null when it is one.</summary>
    /// <param name="name">A full ref (refs/heads/main) or a short branch or tag name (main, feature/x).</param>
    public static string? Problem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }

        if (Encoding.UTF8.GetByteCount(name) > MaxBytes)
        {
            return $"it is {Encoding.UTF8.GetByteCount(name)} bytes long, at most {MaxBytes} are allowed";
        }

        if (name == "@")
        {
            return "it is the single character '@'";
        }

        // A leading '-' would be read as an option by git and other tools (git check-ref-format --branch refuses it too).
        if (name.StartsWith('-'))
        {
            return "it starts with '-'";
        }

        if (name.StartsWith('/') || name.EndsWith('/') || name.Contains("//", StringComparison.Ordinal))
        {
            return "it starts or ends with '/' or contains '//'";
        }

        if (name.EndsWith('.'))
        {
            return "it ends with '.'";
        }

        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "it contains '..'";
        }

        if (name.Contains("@{", StringComparison.Ordinal))
        {
            return "it contains '@{'";
        }

        foreach (var c in name)
        {
            if (char.IsControl(c) || c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            {
                return $"it contains {Describe(c)}, which git does not allow in ref names";
            }
        }

        foreach (var component in name.Split('/'))
        {
            if (component.StartsWith('.'))
            {
                return $"the component '{component}' starts with '.'";
            }

            if (component.EndsWith(".lock", StringComparison.Ordinal))
            {
                return $"the component '{component}' ends with '.lock'";
            }
        }

        return null;
    }

    private static string Describe(char c) => char.IsControl(c) ? $"the control character \\u{(int)c:x4}" : c == ' ' ? "a space" : $"'{c}'";
}

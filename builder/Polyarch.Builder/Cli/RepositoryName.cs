using System.Text.RegularExpressions;

namespace Polyarch.Builder.Cli;

/// <summary>Registry repository names (OCI distribution: lower-case path components).</summary>
internal static partial class RepositoryName
{
    public static bool IsValid(string name) => name.Length <= 255 && Pattern().IsMatch(name);

    /// <summary>A valid name from a source's last path segment, e.g. "My_Func.git" → "my_func".</summary>
    public static string FromSource(string lastSegment)
    {
        var lowered = Regex.Replace(lastSegment.ToLowerInvariant(), "[^a-z0-9._-]+", "-", RegexOptions.None, TimeSpan.FromSeconds(1)).Trim('.', '_', '-');
        return lowered.Length == 0 ? "build" : lowered;
    }

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$")]
    private static partial Regex Pattern();
}

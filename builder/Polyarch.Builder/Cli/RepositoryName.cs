using System.Text.RegularExpressions;

namespace Polyarch.Builder.Cli;

/// <summary>A repository name derived from a source (checked with <see cref="Publishing.RegistryNames"/> like any other).</summary>
internal static class RepositoryName
{
    /// <summary>A valid name from a source's last path segment, e.g. "My_Func.git" → "my_func".</summary>
    public static string FromSource(string lastSegment)
    {
        var lowered = Regex.Replace(lastSegment.ToLowerInvariant(), "[^a-z0-9._-]+", "-", RegexOptions.None, TimeSpan.FromSeconds(1)).Trim('.', '_', '-');
        return lowered.Length == 0 ? "build" : lowered;
    }
}

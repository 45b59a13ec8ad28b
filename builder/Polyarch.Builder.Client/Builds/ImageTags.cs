using System.Text;

namespace Polyarch.Builder.Builds;

/// <summary>The tags the builder writes (conventions.md): commit12, the sanitised branch, and latest for the default branch.</summary>
public static class ImageTags
{
    /// <summary>The tags for a commit pushed to a branch.</summary>
    public static IReadOnlyList<string> For(string commit, string? branch, bool isDefaultBranch)
    {
        var tags = new List<string> { commit[..Math.Min(12, commit.Length)].ToLowerInvariant() };
        if (branch is not null && SanitizeBranch(branch) is { } branchTag && !tags.Contains(branchTag))
        {
            // A branch literally named "latest" must not move :latest unless it is the default branch.
            if (branchTag != "latest" || isDefaultBranch)
            {
                tags.Add(branchTag);
            }
        }

        if (isDefaultBranch && !tags.Contains("latest"))
        {
            tags.Add("latest");
        }

        return tags;
    }

    /// <summary>A branch name as a tag: characters a tag cannot hold become '-'; null when nothing usable is left.</summary>
    public static string? SanitizeBranch(string branch)
    {
        var text = new StringBuilder(branch.Length);
        foreach (var c in branch)
        {
            text.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '-');
        }

        // A tag must start with a letter, digit or '_' ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}).
        var tag = text.ToString().TrimStart('.', '-');
        if (tag.Length > 128)
        {
            tag = tag[..128];
        }

        return tag.Length == 0 ? null : tag;
    }
}

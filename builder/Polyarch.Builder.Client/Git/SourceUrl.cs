using System.Security.Cryptography;
using System.Text;
using Polyarch.Builder.Errors;

namespace Polyarch.Builder.Git;

/// <summary>Normalises what a user or webhook calls a repository into one key per remote.</summary>
internal static class SourceUrl
{
    /// <summary>Absolute path for local directories, the URL (without credentials or trailing slash) otherwise.</summary>
    public static string Normalize(string pathOrUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrUrl);
        var trimmed = pathOrUrl.Trim();
        if (Uri.TryCreate(trimmed, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ssh" or "git")
        {
            // ssh://git@host/… names the ssh user, no secret; a password (user:secret@) is a credential wherever it is.
            if (!string.IsNullOrEmpty(uri.UserInfo) && !(uri.Scheme == "ssh" && !uri.UserInfo.Contains(':', StringComparison.Ordinal)))
            {
                throw new InvalidBuildInputException(
                    $"The repository URL {uri.GetLeftPart(UriPartial.Scheme)}…@{uri.Host}{uri.AbsolutePath} carries credentials. Remove them and set Builder:GitToken instead.");
            }

            return trimmed.TrimEnd('/');
        }

        if (trimmed.StartsWith("file://", StringComparison.Ordinal))
        {
            return Path.GetFullPath(new Uri(trimmed).LocalPath).TrimEnd('/');
        }

        if (trimmed.Contains('@', StringComparison.Ordinal) && trimmed.Contains(':', StringComparison.Ordinal) && !Path.Exists(trimmed))
        {
            return trimmed; // scp-like ssh syntax: git@host:team/repo.git
        }

        return Path.GetFullPath(trimmed).TrimEnd('/');
    }

    /// <summary>Whether the source is on this machine (CLI only; webhooks never build local paths).</summary>
    public static bool IsLocal(string normalized) => normalized.StartsWith('/');

    /// <summary>Whether git reaches the remote over ssh (<c>ssh://</c>, <c>git+ssh://</c> or scp-like <c>user@host:path</c>).</summary>
    public static bool IsSsh(string normalized) =>
        normalized.StartsWith("ssh://", StringComparison.OrdinalIgnoreCase)
        || normalized.StartsWith("git+ssh://", StringComparison.OrdinalIgnoreCase)
        || (!IsLocal(normalized) && !normalized.Contains("://", StringComparison.Ordinal) && normalized.Contains('@', StringComparison.Ordinal) && normalized.Contains(':', StringComparison.Ordinal));

    /// <summary>A stable directory name for the mirror of a URL.</summary>
    public static string MirrorKey(string normalized)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized)))[..16];
        return $"{LastSegment(normalized)}-{hash}";
    }

    /// <summary>The repository's name: last path segment without <c>.git</c>.</summary>
    public static string LastSegment(string normalized)
    {
        var segment = normalized.TrimEnd('/').Split('/', ':').Last();
        if (segment.EndsWith(".git", StringComparison.OrdinalIgnoreCase))
        {
            segment = segment[..^4];
        }

        return segment.Length == 0 ? "repository" : segment;
    }
}

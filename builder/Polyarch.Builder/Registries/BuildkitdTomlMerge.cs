using System.Text;
using Tomlyn;
using Tomlyn.Model;

namespace Polyarch.Builder.Registries;

/// <summary>
/// Sets the keys Polyarch owns (http, insecure, ca) in buildkitd.toml's [registry."HOST:PORT"] table and keeps
/// every other line of the file — comments, other registries, mirrors of this one — as it is.
/// </summary>
internal static class BuildkitdTomlMerge
{
    private static readonly string[] OwnedKeys = ["http", "insecure", "ca"];

    /// <summary>The key lines of the table for <paramref name="profile"/>.</summary>
    public static IReadOnlyList<string> Keys(RegistryProfile profile, string caPath) =>
        profile.Insecure ? ["  http = true", "  insecure = true"] : [$"  ca = [\"{caPath}\"]"];

    public static string New(RegistryProfile profile, string caPath) => Merge(string.Empty, profile, caPath);

    public static string Merge(string existing, RegistryProfile profile, string caPath)
    {
        Validate(existing, "the existing buildkitd.toml");
        var keys = Keys(profile, caPath);
        var lines = existing.Length == 0 ? [] : existing.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n').ToList();
        var header = lines.FindIndex(line => IsHeaderOf(line, profile.Registry));
        if (header < 0)
        {
            if (lines.Count > 0)
            {
                lines.Add(string.Empty);
            }

            lines.Add($"[registry.\"{profile.Registry}\"]");
            lines.AddRange(keys);
        }
        else
        {
            var end = header + 1;
            while (end < lines.Count && !lines[end].TrimStart().StartsWith('['))
            {
                end++;
            }

            var body = lines.GetRange(header + 1, end - header - 1);
            var kept = body.Where(line => !OwnedKeys.Contains(KeyOf(line))).ToList();
            // Keep the table's own layout: our keys first, then the user's (mirrors, keypairs…), blank lines last.
            var trailingBlank = kept.Count - kept.FindLastIndex(line => line.Trim().Length > 0) - 1;
            var replacement = keys.Concat(kept.Take(kept.Count - trailingBlank)).Concat(kept.Skip(kept.Count - trailingBlank)).ToList();
            if (body.SequenceEqual(replacement))
            {
                return existing;
            }

            lines.RemoveRange(header + 1, body.Count);
            lines.InsertRange(header + 1, replacement);
        }

        var merged = string.Join('\n', lines) + "\n";
        Validate(merged, "the merged buildkitd.toml");
        return merged;
    }

    private static bool IsHeaderOf(string line, string registry)
    {
        var compact = new StringBuilder();
        foreach (var c in line.Trim())
        {
            if (!char.IsWhiteSpace(c))
            {
                compact.Append(c == '\'' ? '"' : c);
            }
        }

        return string.Equals(compact.ToString(), $"[registry.\"{registry}\"]", StringComparison.OrdinalIgnoreCase);
    }

    private static string KeyOf(string line)
    {
        var equals = line.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 || line.TrimStart().StartsWith('#') ? string.Empty : line[..equals].Trim();
    }

    private static void Validate(string toml, string what)
    {
        try
        {
            _ = TomlSerializer.Deserialize<TomlTable>(toml);
        }
        catch (TomlException exception)
        {
            throw new ProfileInputException($"{what} is not valid TOML ({exception.Message}); buildkitd would refuse it too. Fix it, then run the profile again.");
        }
    }
}

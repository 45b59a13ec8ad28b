using System.Text;
using System.Text.RegularExpressions;

namespace Polyarch.Invoker.Rules;

/// <summary>Glob patterns of rules: <c>*</c> matches within one path segment, <c>**</c> across segments, <c>?</c> one character.</summary>
internal static class Glob
{
    public static bool IsLiteral(string pattern) => pattern.IndexOfAny(['*', '?']) < 0;

    public static bool IsMatch(string pattern, string value) =>
        Regex.IsMatch(value, ToRegex(pattern), RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100));

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                regex.Append(".*");
                i++;
            }
            else if (c == '*')
            {
                regex.Append("[^/]*");
            }
            else if (c == '?')
            {
                regex.Append("[^/]");
            }
            else
            {
                regex.Append(Regex.Escape(c.ToString()));
            }
        }

        return regex.Append('$').ToString();
    }
}

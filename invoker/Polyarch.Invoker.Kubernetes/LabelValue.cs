using System.Text;

namespace Polyarch.Invoker.Kubernetes;

/// <summary>Turns free text (action names such as "127.0.0.1:5000/demo/echo:latest") into valid label values and pod names.</summary>
internal static class LabelValue
{
    /// <summary>A label value: at most 63 of [A-Za-z0-9._-], starting and ending alphanumeric (empty stays empty).</summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, 63));
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-');
            if (builder.Length == 63)
            {
                break;
            }
        }

        return builder.ToString().Trim('.', '_', '-');
    }

    /// <summary>A DNS-1123 label (pod name part): lower-case alphanumerics and '-', at most <paramref name="max"/> characters.</summary>
    public static string DnsLabel(string text, int max)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, max));
        foreach (var c in text.ToLowerInvariant())
        {
            var next = char.IsAsciiLetterOrDigit(c) ? c : '-';
            if (next == '-' && (builder.Length == 0 || builder[^1] == '-'))
            {
                continue;
            }

            builder.Append(next);
            if (builder.Length == max)
            {
                break;
            }
        }

        return builder.ToString().Trim('-');
    }
}

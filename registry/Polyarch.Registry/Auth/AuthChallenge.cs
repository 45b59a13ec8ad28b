using System.Net.Http.Headers;

namespace Polyarch.Registry.Auth;

/// <summary>One WWW-Authenticate challenge: its scheme and parameters (realm, service, scope …).</summary>
internal sealed record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public const string Bearer = "Bearer";
    public const string Basic = "Basic";

    public string? this[string name] => Parameters.TryGetValue(name, out var value) ? value : null;

    public static AuthChallenge? Select(HttpHeaderValueCollection<AuthenticationHeaderValue> headers) =>
        headers.Select(Parse).OrderBy(c => c.Scheme.Equals(Bearer, StringComparison.OrdinalIgnoreCase) ? 0 : 1).FirstOrDefault();

    // RFC 7235 auth-params: key=value or key="quoted, with commas" separated by commas.
    public static AuthChallenge Parse(AuthenticationHeaderValue header)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var text = header.Parameter ?? string.Empty;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && (text[i] == ',' || char.IsWhiteSpace(text[i])))
            {
                i++;
            }

            var equals = text.IndexOf('=', i);
            if (equals < 0)
            {
                break;
            }

            var key = text[i..equals].Trim();
            i = equals + 1;
            string value;
            if (i < text.Length && text[i] == '"')
            {
                var close = text.IndexOf('"', i + 1);
                close = close < 0 ? text.Length : close;
                value = text[(i + 1)..close];
                i = close + 1;
            }
            else
            {
                var comma = text.IndexOf(',', i);
                comma = comma < 0 ? text.Length : comma;
                value = text[i..comma].Trim();
                i = comma;
            }

            parameters[key] = value;
        }

        return new AuthChallenge(header.Scheme, parameters);
    }
}

using System.Text;
using System.Text.Json;

namespace Polyarch.Builder.Buildx;

/// <summary>
/// Splits buildx's <c>--progress rawjson</c> stream (indented JSON objects back to back on stderr, mixed
/// with plain error lines) into objects and text lines.
/// </summary>
internal sealed class RawJsonReader
{
    private const int MaxObjectChars = 8 * 1024 * 1024;
    private readonly StringBuilder _buffer = new();

    /// <summary>Feeds one line; returns a parsed object when one completes, or the line itself when it is plain text.</summary>
    public (JsonDocument? Document, string? Text) Feed(string line)
    {
        if (_buffer.Length == 0)
        {
            if (!line.StartsWith('{'))
            {
                return (null, line);
            }

            if (line.EndsWith('}') && TryParse(line, out var single))
            {
                return (single, null);
            }
        }

        _buffer.Append(line).Append('\n');
        if (line == "}")
        {
            var text = _buffer.ToString();
            _buffer.Clear();
            return TryParse(text, out var document) ? (document, null) : (null, text);
        }

        if (_buffer.Length > MaxObjectChars)
        {
            var text = _buffer.ToString();
            _buffer.Clear();
            return (null, text[..200]);
        }

        return (null, null);
    }

    private static bool TryParse(string text, out JsonDocument? document)
    {
        try
        {
            document = JsonDocument.Parse(text);
            return true;
        }
        catch (JsonException)
        {
            document = null;
            return false;
        }
    }
}

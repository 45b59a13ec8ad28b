using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace Polyarch.Builder.Fitness;

/// <summary>
/// Escapes control characters (CR, LF, ESC, …, and U+2028/U+2029) in every property of a log event, so a value taken
/// from a request — a path with %0A, a query, a header, a name from a body — cannot start a forged log line.
/// </summary>
internal sealed class ControlCharacterEscaper : ILogEventEnricher
{
    private static readonly System.Buffers.SearchValues<char> ControlCharacters = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(i => (char)i), '\u007f', .. Enumerable.Range(0x80, 0x20).Select(i => (char)i), '\u2028', '\u2029']);

    /// <inheritdoc />
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        List<LogEventProperty>? escaped = null;
        foreach (var (name, value) in logEvent.Properties)
        {
            var safe = Escape(value);
            if (!ReferenceEquals(safe, value))
            {
                (escaped ??= []).Add(new LogEventProperty(name, safe));
            }
        }

        foreach (var property in escaped ?? [])
        {
            logEvent.AddOrUpdateProperty(property);
        }
    }

    /// <summary>The value with its control characters escaped; the same instance when it has none.</summary>
    public static LogEventPropertyValue Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text }:
                return NeedsEscaping(text) ? new ScalarValue(EscapeText(text)) : value;
            case ScalarValue { Value: char c }:
                return NeedsEscaping(c) ? new ScalarValue(EscapeText(c.ToString())) : value;
            case ScalarValue { Value: { } other } when other is not IFormattable:
                // PathString, HostString and other types rendered with ToString().
                var rendered = other.ToString() ?? string.Empty;
                return NeedsEscaping(rendered) ? new ScalarValue(EscapeText(rendered)) : value;
            case SequenceValue sequence:
                var elements = sequence.Elements.Select(Escape).ToList();
                return elements.Where((e, i) => !ReferenceEquals(e, sequence.Elements[i])).Any() ? new SequenceValue(elements) : value;
            case StructureValue structure:
                var properties = structure.Properties.Select(p => new LogEventProperty(p.Name, Escape(p.Value))).ToList();
                return properties.Where((p, i) => !ReferenceEquals(p.Value, structure.Properties[i].Value)).Any()
                    ? new StructureValue(properties, structure.TypeTag)
                    : value;
            case DictionaryValue dictionary:
                var entries = dictionary.Elements.Select(e => KeyValuePair.Create((ScalarValue)Escape(e.Key), Escape(e.Value))).ToList();
                return entries.Zip(dictionary.Elements).Any(p => !ReferenceEquals(p.First.Key, p.Second.Key) || !ReferenceEquals(p.First.Value, p.Second.Value))
                    ? new DictionaryValue(entries)
                    : value;
            default:
                return value;
        }
    }

    /// <summary><paramref name="text"/> with \r, \n, \t as such and other control characters as \uXXXX.</summary>
    public static string EscapeText(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            builder.Append(c switch
            {
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when NeedsEscaping(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return builder.ToString();
    }

    private static bool NeedsEscaping(string text) => text.AsSpan().IndexOfAny(ControlCharacters) >= 0;

    private static bool NeedsEscaping(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}

using Polyarch.Invoker.Fitness;
using Serilog.Events;
using Serilog.Parsing;

namespace Polyarch.Invoker.Tests.Fitness;

public sealed class ControlCharacterEscaperTests
{
    [Theory]
    [InlineData("/v1/rules\nFORGED", "/v1/rules\\nFORGED")]
    [InlineData("a\r\nb", "a\\r\\nb")]
    [InlineData("tab\there", "tab\\there")]
    [InlineData("\u001b[31mred", "\\u001b[31mred")]
    [InlineData("nul\0", "nul\\u0000")]
    [InlineData("del\u007f", "del\\u007f")]
    [InlineData("nel\u0085", "nel\\u0085")]
    [InlineData("ls\u2028ps\u2029", "ls\\u2028ps\\u2029")]
    [InlineData("plain /v1/rules?x=%0A é ü 漢", "plain /v1/rules?x=%0A é ü 漢")]
    public void Escape_String_WritesControlCharactersAsEscapes(string value, string expected)
    {
        var escaped = ControlCharacterEscaper.Escape(new ScalarValue(value));

        ((ScalarValue)escaped).Value.ShouldBe(expected);
    }

    [Fact]
    public void Escape_ValueWithoutControlCharacters_IsTheSameInstance()
    {
        var value = new ScalarValue("/v1/rules");

        ControlCharacterEscaper.Escape(value).ShouldBeSameAs(value);
    }

    [Fact]
    public void Enrich_EscapesNestedValues_AndValuesRenderedWithToString()
    {
        var logEvent = new LogEvent(
            DateTimeOffset.UnixEpoch,
            LogEventLevel.Information,
            exception: null,
            new MessageTemplateParser().Parse("{Path} {Headers} {Items} {Map}"),
            [
                new LogEventProperty("Path", new ScalarValue(new RenderedWithToString("/x\ny"))),
                new LogEventProperty("Headers", new StructureValue([new LogEventProperty("User-Agent", new ScalarValue("a\rb"))])),
                new LogEventProperty("Items", new SequenceValue([new ScalarValue("ok"), new ScalarValue("c\nd")])),
                new LogEventProperty("Map", new DictionaryValue([KeyValuePair.Create(new ScalarValue("k\n"), (LogEventPropertyValue)new ScalarValue("v\n"))])),
            ]);

        new ControlCharacterEscaper().Enrich(logEvent, propertyFactory: null!);

        var rendered = logEvent.RenderMessage(System.Globalization.CultureInfo.InvariantCulture);
        rendered.ShouldNotContain("\n");
        rendered.ShouldNotContain("\r");
        rendered.ShouldContain("/x\\ny");
        rendered.ShouldContain("a\\rb");
        rendered.ShouldContain("c\\nd");
        rendered.ShouldContain("k\\n");
        rendered.ShouldContain("v\\n");
    }

    private sealed class RenderedWithToString(string text)
    {
        public override string ToString() => text;
    }
}

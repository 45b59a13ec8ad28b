using Polyarch.Builder.Cli;

namespace Polyarch.Builder.Tests.Cli;

public sealed class StructuredOutputTests
{
    [Theory]
    [InlineData("{\"a\":\"plain\"}", "a: plain")]
    [InlineData("{\"a\":\"123\"}", "a: \"123\"")]
    [InlineData("{\"a\":\"true\"}", "a: \"true\"")]
    [InlineData("{\"a\":\"null\"}", "a: \"null\"")]
    [InlineData("{\"a\":\"\"}", "a: \"\"")]
    [InlineData("{\"a\":123}", "a: 123")]
    [InlineData("{\"a\":false}", "a: false")]
    [InlineData("{\"a\":null}", "a: null")]
    [InlineData("{\"a\":\"two\\nlines\"}", "a: \"two\\nlines\"")]
    [InlineData("{\"a\":[\"linux/amd64\"]}", "a:\n- linux/amd64")]
    public void ToYaml_KeepsEveryValuesType(string json, string yaml)
    {
        StructuredOutput.ToYaml(json).ReplaceLineEndings("\n").ShouldBe(yaml);
    }
}

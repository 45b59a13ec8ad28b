using Polyarch.Invoker.Hosting.Cli;

namespace Polyarch.Invoker.Tests.Hosting;

public sealed class ParamsParserTests
{
    [Fact]
    public void Parse_ValuesAreJsonWhenTheyParse_ElseStrings()
    {
        var result = ParamsParser.Parse(["x=1", "name=world", "flag=true", "list=[1,2]", "eq=a=b", "empty="], null);

        result.ToJsonString().ShouldBe("{\"x\":1,\"name\":\"world\",\"flag\":true,\"list\":[1,2],\"eq\":\"a=b\",\"empty\":\"\"}");
    }

    [Fact]
    public void Parse_ParamsFile_IsMergedAndOverriddenByPairs()
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, "{\"x\":1,\"y\":2}");

        var result = ParamsParser.Parse(["y=3"], file);

        result.ToJsonString().ShouldBe("{\"x\":1,\"y\":3}");
        File.Delete(file);
    }

    [Theory]
    [InlineData("novalue")]
    [InlineData("=value")]
    public void Parse_BadPair_Throws(string pair) =>
        Should.Throw<FormatException>(() => ParamsParser.Parse([pair], null)).Message.ShouldContain("key=value");

    [Theory]
    [InlineData("[1,2]")]
    [InlineData("not json")]
    public void Parse_BadParamsFile_Throws(string content)
    {
        var file = Path.GetTempFileName();
        File.WriteAllText(file, content);

        Should.Throw<FormatException>(() => ParamsParser.Parse([], file)).Message.ShouldContain(file);
        File.Delete(file);
    }
}

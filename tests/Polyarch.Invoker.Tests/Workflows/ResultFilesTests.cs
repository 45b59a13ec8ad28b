using System.Text.Json.Nodes;
using Polyarch.Invoker.Invocation;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>The invoker's side of the files contract: "polyarch:files" leaves the result, decoded, before the record is stored.</summary>
public sealed class ResultFilesTests
{
    [Fact]
    public void Files_leave_the_result_decoded()
    {
        var (result, files, error) = ResultFiles.Extract(JsonNode.Parse("""{"accuracy": 0.9, "polyarch:files": {"model.pkl": "aGVsbG8=", "b.txt": ""}}"""));

        error.ShouldBeNull();
        result!.ToJsonString().ShouldBe("""{"accuracy":0.9}""");
        files.Select(f => (f.Name, System.Text.Encoding.UTF8.GetString(f.Content.Span))).ShouldBe([("model.pkl", "hello"), ("b.txt", "")]);
        ResultFiles.LogLine(files).ShouldContain("model.pkl (5 bytes)");
    }

    [Fact]
    public void A_result_without_files_is_left_as_it_is()
    {
        var answer = JsonNode.Parse("""{"ok": true}""");

        var (result, files, error) = ResultFiles.Extract(answer);

        result.ShouldBeSameAs(answer);
        files.ShouldBeEmpty();
        error.ShouldBeNull();
    }

    [Theory]
    [InlineData("""{"polyarch:files": {"../etc/passwd": "aGk="}}""", "'../etc/passwd', which is not a plain file name")]
    [InlineData("""{"polyarch:files": {"a/b": "aGk="}}""", "'a/b', which is not a plain file name")]
    [InlineData("""{"polyarch:files": {".hidden": "aGk="}}""", "'.hidden', which is not a plain file name")]
    [InlineData("""{"polyarch:files": {"a": "not base64!"}}""", "file 'a' whose content is not valid base64")]
    [InlineData("""{"polyarch:files": {"a": 1}}""", "file 'a' whose content is not a base64 string")]
    [InlineData("""{"polyarch:files": ["a"]}""", "not an object of file name")]
    public void Bad_files_are_an_error_naming_the_file(string json, string expected)
    {
        var (result, files, error) = ResultFiles.Extract(JsonNode.Parse(json));

        error.ShouldNotBeNull().ShouldContain(expected);
        files.ShouldBeEmpty();
        result!.AsObject().ContainsKey(ResultFiles.Key).ShouldBeFalse();
    }
}

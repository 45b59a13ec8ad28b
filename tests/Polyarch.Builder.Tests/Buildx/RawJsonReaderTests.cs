using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Tests.Buildx;

public sealed class RawJsonReaderTests
{
    [Fact]
    public void Feed_splits_indented_objects_single_line_objects_and_text()
    {
        var reader = new RawJsonReader();
        string[] lines = ["{", "  \"vertexes\": []", "}", "{\"logs\":[]}", "ERROR: failed to solve", "{ not json", "}"];

        var results = lines.Select(reader.Feed).ToList();

        results.Count(r => r.Document is not null).ShouldBe(2);
        results.Where(r => r.Text is not null).Select(r => r.Text!.Trim()).ShouldBe(["ERROR: failed to solve", "{ not json\n}"]);
    }
}

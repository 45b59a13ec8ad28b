namespace Polyarch.Testing;

/// <summary>Identifies this test run; everything a test creates in the engine carries its label.</summary>
public static class TestRun
{
    /// <summary>The label every container, image build and network made by a test carries.</summary>
    public const string LabelKey = "io.polyarch.test.run";

    /// <summary>A short id unique to this test process.</summary>
    public static string Id { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>The labels to put on anything a test creates.</summary>
    public static IReadOnlyDictionary<string, string> Labels { get; } =
        new Dictionary<string, string> { [LabelKey] = Id };
}

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// The recorded notifications of an OCI 1.1 artifact push (distribution 2.8.2, includereferences on: SOURCE there): a
/// dataset artifact tagged batch-1, a step-result artifact whose subject is the dataset (run-1-train-amd64) and the
/// referrers tag schema index (sha256-&lt;dataset hex&gt;), rewritten to the test's registry, repository and the digests
/// its own push of the same three produced.
/// </summary>
internal static class ArtifactBurst
{
    public const string DatasetType = "application/vnd.polyarch.dataset.v1";
    public const string StepResultType = "application/vnd.polyarch.step-result.v1+json";

    private const string RecordedRegistry = "127.0.0.1:5001";
    private const string RecordedRepository = "demo/digits";
    private const string RecordedDataset = "bd2561549c2561a8517ab25b8c10287d8f677711d00b6c4969ddb7e00c86817d";
    private const string RecordedResult = "5e519a4d245b261f3942449b8405ca2961c7b6a65a766164343c0d008209a7a7";
    private const string RecordedIndex = "0215673ef0ff3c546d1a1abf7415dadd3d5b3db7bf5b11ab36f713bfd1afcbb6";

    private static string Directory => Path.Combine(AppContext.BaseDirectory, "Fixtures", "registry-notifications", "distribution-2.8.2-oci-artifact-push");

    /// <summary>The six envelopes in arrival order; the digests are sha256 hex (the referrers tag follows the dataset's).</summary>
    public static IReadOnlyList<string> Envelopes(string registry, string repository, string datasetHex, string resultHex, string indexHex) =>
        [.. System.IO.Directory.GetFiles(Directory, "*.json").Order(StringComparer.Ordinal)
            .Select(File.ReadAllText)
            .Select(json => json
                .Replace(RecordedRegistry, registry, StringComparison.Ordinal)
                .Replace(RecordedRepository, repository, StringComparison.Ordinal)
                .Replace(RecordedDataset, datasetHex, StringComparison.Ordinal)
                .Replace(RecordedResult, resultHex, StringComparison.Ordinal)
                .Replace(RecordedIndex, indexHex, StringComparison.Ordinal))];
}

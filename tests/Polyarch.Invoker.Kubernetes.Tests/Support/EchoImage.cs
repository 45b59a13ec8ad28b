using Polyarch.Invoker.Images;
using Polyarch.Invoker.Kubernetes.Placement;

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>A three-platform image like 127.0.0.1:5000/demo/echo (fixed digests, so pod specs are stable).</summary>
internal static class EchoImage
{
    public const string Repository = "127.0.0.1:5000/demo/echo";
    public const string Index = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    public const string Amd64 = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    public const string Arm64 = "sha256:bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    public const string Ppc64le = "sha256:cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";

    private static readonly Dictionary<string, string> NoLabels = [];

    public static IReadOnlyList<VariantInfo> Variants(IReadOnlyDictionary<string, string>? amd64Labels = null, bool withPpc64le = true)
    {
        var variants = new List<VariantInfo>
        {
            new("linux/amd64", Amd64, amd64Labels ?? NoLabels),
            new("linux/arm64", Arm64, NoLabels),
        };
        if (withPpc64le)
        {
            variants.Add(new("linux/ppc64le", Ppc64le, NoLabels));
        }

        return variants;
    }

    public static PodRequest Request(string activationId = "0123456789abcdef0123456789abcdef", string? platform = null) => new()
    {
        ActionName = "echo",
        ActivationId = activationId,
        RepositoryName = Repository,
        IndexDigest = Index,
        Variants = Variants(),
        Platform = platform,
        ParamsJson = """{"x":1}""",
    };
}

using k8s.Models;

namespace Polyarch.Host.Tests.Deploy;

/// <summary>Reads the required kubernetes.io/arch values from a rendered Deployment.</summary>
internal static class ArchitectureAffinity
{
    public static IReadOnlyList<string> Of(V1Deployment deployment) =>
        deployment.Spec.Template.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms
            .ShouldHaveSingleItem().MatchExpressions
            .Single(e => e.Key == "kubernetes.io/arch" && e.OperatorProperty == "In").Values
            .Order(StringComparer.Ordinal).ToList();
}

using k8s;
using k8s.Models;
using Polyarch.Invoker.Kubernetes.Inventory;
using Polyarch.Invoker.Kubernetes.Placement;
using Polyarch.Invoker.Kubernetes.Pods;
using Polyarch.Invoker.Kubernetes.Tests.Support;

namespace Polyarch.Invoker.Kubernetes.Tests.Pods;

/// <summary>A site's pod template is merged like OpenWhisk's: it adds, placement wins, os/arch go into every term.</summary>
public sealed class PodTemplateMergerTests
{
    internal const string TemplateYaml = """
        apiVersion: v1
        kind: Pod
        metadata:
          labels:
            team: data
            io.polyarch.managed: "false"
        spec:
          serviceAccountName: action-runner
          priorityClassName: functions
          imagePullSecrets:
          - name: registry-cred
          tolerations:
          - key: dedicated
            operator: Equal
            value: functions
            effect: NoSchedule
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                - matchExpressions:
                  - key: node-role.kubernetes.io/functions
                    operator: Exists
                  - key: kubernetes.io/arch
                    operator: In
                    values: [s390x]
                - matchExpressions:
                  - key: pool
                    operator: In
                    values: [spot]
          containers:
          - name: action
            image: ignored:latest
            env:
            - name: HTTP_PROXY
              value: http://proxy:3128
            - name: LOG_LEVEL
              value: info
        """;

    internal static V1Pod SiteTemplate() => KubernetesYaml.Deserialize<V1Pod>(TemplateYaml);

    [Fact]
    public void The_template_adds_site_settings_and_placement_wins()
    {
        var request = EchoImage.Request(platform: "linux/arm64") with { Environment = new Dictionary<string, string> { ["LOG_LEVEL"] = "debug" } };
        var placement = PodPlacer.Place(request, new ClusterSnapshot(MixedCluster.Nodes().Select(ClusterNode.From), "1"));

        var pod = PodBuilder.Build(request, placement, "invoker0", SiteTemplate());

        pod.Metadata.Labels["team"].ShouldBe("data");
        pod.Metadata.Labels["io.polyarch.managed"].ShouldBe("true", "our labels win: clean-up depends on them");
        pod.Spec.ServiceAccountName.ShouldBe("action-runner");
        pod.Spec.PriorityClassName.ShouldBe("functions");
        pod.Spec.ImagePullSecrets.ShouldHaveSingleItem().Name.ShouldBe("registry-cred");
        pod.Spec.Tolerations.ShouldHaveSingleItem().Key.ShouldBe("dedicated");
        var action = pod.Spec.Containers.ShouldHaveSingleItem();
        action.Image.ShouldBe($"{EchoImage.Repository}@{EchoImage.Arm64}");
        action.Env.Select(e => $"{e.Name}={e.Value}").ShouldBe(["HTTP_PROXY=http://proxy:3128", "LOG_LEVEL=debug"]);
    }

    [Fact]
    public void Every_required_term_of_the_template_gets_the_os_and_arch_requirements()
    {
        var request = EchoImage.Request(platform: "linux/arm64");
        var placement = PodPlacer.Place(request, new ClusterSnapshot(MixedCluster.Nodes().Select(ClusterNode.From), "1"));

        var pod = PodBuilder.Build(request, placement, "invoker0", SiteTemplate());

        var terms = pod.Spec.Affinity.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms;
        terms.Count.ShouldBe(2);
        foreach (var term in terms)
        {
            var arch = term.MatchExpressions.Where(e => e.Key == "kubernetes.io/arch").ShouldHaveSingleItem();
            arch.Values.ShouldBe(["arm64"], "the template's s390x requirement is replaced, not ORed in");
            term.MatchExpressions.ShouldContain(e => e.Key == "kubernetes.io/os");
        }

        terms[0].MatchExpressions.ShouldContain(e => e.Key == "node-role.kubernetes.io/functions");
        terms[1].MatchExpressions.ShouldContain(e => e.Key == "pool");
    }
}

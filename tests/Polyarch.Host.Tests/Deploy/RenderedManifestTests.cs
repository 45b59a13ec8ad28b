using k8s;
using k8s.Models;

namespace Polyarch.Host.Tests.Deploy;

/// <summary>
/// `kubectl kustomize` renders invoker/deploy and builder/deploy into objects that would deploy: each loads strictly as
/// its API model, and the pieces fit together (probes, Secret references, state on a claim, Service → pod, identity).
/// </summary>
public sealed class RenderedManifestTests
{
    public static TheoryData<string, int, string[]> Components => new()
    {
        // component, port, the Secret keys the Deployment must read (required ones)
        { "invoker", 5090, ["api-key", "registry-webhook-token"] },
        { "builder", 5080, ["api-key", "webhook-secret"] },
    };

    [Theory]
    [MemberData(nameof(Components))]
    public async Task The_kustomization_renders_objects_that_load_strictly_and_fit_together(string component, int port, string[] secretKeys)
    {
        var objects = Kustomize.Load(await Kustomize.RenderAsync(component));

        var name = $"polyarch-{component}";
        var deployment = objects.OfType<V1Deployment>().ShouldHaveSingleItem();
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.ShouldHaveSingleItem();
        container.Image.ShouldBe($"127.0.0.1:5000/polyarch/{component}:latest", "kustomize's images: names the pushed index");
        container.Args.ShouldBe(["serve", "--urls", $"http://0.0.0.0:{port}"]);
        container.Ports.ShouldHaveSingleItem().ContainerPort.ShouldBe(port);
        container.ReadinessProbe.HttpGet.Path.ShouldBe("/readyz");
        container.LivenessProbe.HttpGet.Path.ShouldBe("/healthz");
        container.Resources.Requests.Keys.Order().ShouldBe(["cpu", "memory"]);
        container.SecurityContext.AllowPrivilegeEscalation.ShouldBe(false);
        pod.SecurityContext.RunAsNonRoot.ShouldBe(true);
        container.Env.Single(e => e.Name == "POLYARCH_Service__RequireApiKey").Value.ShouldBe("true");
        container.Env.Single(e => e.Name == "POLYARCH_Service__AllowRemote").Value.ShouldBe("true", "both services refuse 0.0.0.0 without it");
        var secretRefs = container.Env.Where(e => e.ValueFrom?.SecretKeyRef is not null).Select(e => e.ValueFrom.SecretKeyRef).ToList();
        secretRefs.ShouldAllBe(r => r.Name == name);
        secretRefs.Where(r => r.Optional != true).Select(r => r.Key).Order().ShouldBe(secretKeys.Order());
        secretRefs.ShouldContain(r => r.Key == "database-url" && r.Optional == true);

        // State is a claim that the kustomization creates, never an emptyDir.
        var stateMount = container.VolumeMounts.Single(m => m.MountPath == "/var/lib/polyarch");
        var stateVolume = pod.Volumes.Single(v => v.Name == stateMount.Name);
        stateVolume.EmptyDir.ShouldBeNull();
        objects.OfType<V1PersistentVolumeClaim>().Select(c => c.Metadata.Name).ShouldContain(stateVolume.PersistentVolumeClaim.ClaimName);
        deployment.Spec.Strategy.Type.ShouldBe("Recreate", "a ReadWriteOnce claim is released before the next pod mounts it");

        // The Service reaches the pod's named port; the ServiceAccount exists.
        var service = objects.OfType<V1Service>().ShouldHaveSingleItem();
        service.Spec.Selector.ShouldBeSubsetOf(deployment.Spec.Template.Metadata.Labels);
        service.Spec.Ports.ShouldHaveSingleItem().TargetPort.Value.ShouldBe(container.Ports[0].Name);
        objects.OfType<V1ServiceAccount>().Select(a => a.Metadata.Name).ShouldContain(pod.ServiceAccountName);
        deployment.Spec.Selector.MatchLabels.ShouldBeSubsetOf(deployment.Spec.Template.Metadata.Labels);
        objects.Where(o => o is not V1Namespace and not V1ClusterRole and not V1ClusterRoleBinding)
            .ShouldAllBe(o => ((IMetadata<V1ObjectMeta>)o).Metadata.NamespaceProperty == "polyarch");
    }

    [Theory]
    [InlineData("invoker")]
    [InlineData("builder")]
    public async Task The_postgres_component_runs_two_replicas_on_the_shared_store_from_the_secret(string component)
    {
        var name = $"polyarch-{component}";
        var plain = Kustomize.Load(await Kustomize.RenderAsync(component));

        var objects = Kustomize.Load(await Kustomize.RenderWithComponentAsync(component, "postgres"));

        var deployment = objects.OfType<V1Deployment>().ShouldHaveSingleItem();
        deployment.Spec.Replicas.ShouldBe(2);
        deployment.Spec.Strategy.Type.ShouldBe("RollingUpdate", "no volume to hand over: replicas replace each other one by one");
        var pod = deployment.Spec.Template.Spec;
        var container = pod.Containers.ShouldHaveSingleItem();
        var env = container.Env.ToDictionary(e => e.Name);
        env["POLYARCH_Store__Provider"].Value.ShouldBe("postgres");
        env["POLYARCH_Store__ConnectionString"].ValueFrom.SecretKeyRef.ShouldSatisfyAllConditions(
            r => r.Name.ShouldBe(name), r => r.Key.ShouldBe("database-url"), r => r.Optional.ShouldBe(false));
        // No claim: a ReadWriteOnce volume would hold both replicas on one node; the state directory is scratch.
        objects.OfType<V1PersistentVolumeClaim>().ShouldBeEmpty();
        var stateVolume = pod.Volumes.Single(v => v.Name == container.VolumeMounts.Single(m => m.MountPath == "/var/lib/polyarch").Name);
        stateVolume.EmptyDir.ShouldNotBeNull();
        stateVolume.PersistentVolumeClaim.ShouldBeNull();
        // Everything else is the base's.
        var baseContainer = plain.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0];
        container.Env.Where(e => !e.Name.StartsWith("POLYARCH_Store__", StringComparison.Ordinal)).Select(e => e.Name)
            .ShouldBe(baseContainer.Env.Where(e => !e.Name.StartsWith("POLYARCH_Store__", StringComparison.Ordinal)).Select(e => e.Name), ignoreOrder: true);
        container.ReadinessProbe.HttpGet.Path.ShouldBe("/readyz");
        container.Image.ShouldBe(baseContainer.Image);
        objects.Count.ShouldBe(plain.Count - 1);
    }

    [Fact]
    public async Task The_builder_needs_no_kubernetes_api_and_gets_no_token()
    {
        var objects = Kustomize.Load(await Kustomize.RenderAsync("builder"));

        objects.OfType<V1Role>().ShouldBeEmpty();
        objects.OfType<V1ClusterRole>().ShouldBeEmpty();
        objects.OfType<V1ServiceAccount>().ShouldHaveSingleItem().AutomountServiceAccountToken.ShouldBe(false);
        objects.OfType<V1Deployment>().Single().Spec.Template.Spec.AutomountServiceAccountToken.ShouldBe(false);
        objects.OfType<V1Deployment>().Single().Spec.Template.Spec.Containers[0].Env.ShouldContain(e => e.Name == "DOCKER_HOST");
    }

    [Fact]
    public void A_typo_in_a_field_name_is_refused_by_the_strict_load()
    {
        const string Yaml = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: { name: x }
            spec:
              selector: { matchLabels: { a: b } }
              template:
                metadata: { labels: { a: b } }
                spec:
                  containers:
                    - name: x
                      image: x
                      readinesProbe: { httpGet: { path: /readyz, port: 1 } }
            """;

        Should.Throw<Exception>(() => Kustomize.Load(Yaml)).Message.ShouldContain("readinesProbe");
    }
}

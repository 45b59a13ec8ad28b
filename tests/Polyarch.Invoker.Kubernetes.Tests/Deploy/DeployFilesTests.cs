using k8s;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Tests.Deploy;

/// <summary>invoker/deploy/ holds valid Kubernetes objects and grants no more than the backend needs.</summary>
public sealed class DeployFilesTests
{
    private static readonly string Deploy = Path.Combine(RepositoryRoot(), "invoker", "deploy");

    private static readonly Dictionary<string, Type> Kinds = new()
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/PersistentVolumeClaim"] = typeof(V1PersistentVolumeClaim),
        ["v1/Service"] = typeof(V1Service),
        ["rbac.authorization.k8s.io/v1/Role"] = typeof(V1Role),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = typeof(V1RoleBinding),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = typeof(V1ClusterRole),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = typeof(V1ClusterRoleBinding),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
    };

    [Fact]
    public void The_files_load_as_typed_objects()
    {
        var objects = Load();

        objects.Select(o => o.GetType().Name).Order().ShouldBe(
            ["V1ClusterRole", "V1ClusterRoleBinding", "V1ConfigMap", "V1Deployment", "V1Namespace", "V1PersistentVolumeClaim", "V1Role", "V1RoleBinding", "V1Service", "V1ServiceAccount"]);
        var template = objects.OfType<V1ConfigMap>().Single().Data["pod-template.yaml"];
        KubernetesYaml.Deserialize<V1Pod>(template).Kind.ShouldBe("Pod");
        var deployment = objects.OfType<V1Deployment>().Single();
        deployment.Spec.Template.Spec.ServiceAccountName.ShouldBe("polyarch-invoker");
        deployment.Spec.Template.Spec.Containers[0].Env.ShouldContain(e => e.Name == "POLYARCH_Invoker__Backend" && e.Value == "kubernetes");
    }

    [Fact]
    public void The_rbac_is_the_least_the_backend_needs()
    {
        var objects = Load();

        var role = objects.OfType<V1Role>().Single();
        role.Metadata.NamespaceProperty.ShouldBe("polyarch");
        role.Rules.Select(r => $"{string.Join(",", r.Resources)}: {string.Join(",", r.Verbs)}").ShouldBe(
        [
            "pods: create,get,list,watch,delete",
            "pods/log: get",
            "pods/portforward: create,get",
        ]);
        objects.OfType<V1ClusterRole>().Single().Rules.ShouldHaveSingleItem()
            .ShouldSatisfyAllConditions(
                r => r.Resources.ShouldBe(["nodes"]),
                r => r.Verbs.ShouldBe(["get", "list", "watch"]));
    }

    private static List<object> Load() =>
        Directory.GetFiles(Deploy, "*.yaml")
            .Where(f => Path.GetFileName(f) != "kustomization.yaml")
            .SelectMany(f => KubernetesYaml.LoadAllFromString(File.ReadAllText(f), Kinds))
            .ToList();

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Build.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Build.sln)");
    }
}

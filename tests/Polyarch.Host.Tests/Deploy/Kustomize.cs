using CliWrap;
using CliWrap.Buffered;
using k8s;
using k8s.Models;
using Polyarch.Testing;

namespace Polyarch.Host.Tests.Deploy;

/// <summary>Renders invoker/deploy or builder/deploy with `kubectl kustomize` and loads every object as its typed API model.</summary>
internal static class Kustomize
{
    /// <summary>Every kind the manifests may hold; anything else is an error (a kind nobody checked).</summary>
    public static readonly Dictionary<string, Type> Kinds = new()
    {
        ["v1/Namespace"] = typeof(V1Namespace),
        ["v1/ServiceAccount"] = typeof(V1ServiceAccount),
        ["v1/ConfigMap"] = typeof(V1ConfigMap),
        ["v1/Service"] = typeof(V1Service),
        ["v1/PersistentVolumeClaim"] = typeof(V1PersistentVolumeClaim),
        ["rbac.authorization.k8s.io/v1/Role"] = typeof(V1Role),
        ["rbac.authorization.k8s.io/v1/RoleBinding"] = typeof(V1RoleBinding),
        ["rbac.authorization.k8s.io/v1/ClusterRole"] = typeof(V1ClusterRole),
        ["rbac.authorization.k8s.io/v1/ClusterRoleBinding"] = typeof(V1ClusterRoleBinding),
        ["apps/v1/Deployment"] = typeof(V1Deployment),
    };

    public static string Kubectl { get; } = Environment.GetEnvironmentVariable("POLYARCH_KUBECTL") ?? "/usr/bin/kubectl";

    public static async Task<string> RenderAsync(string component)
    {
        var result = await Cli.Wrap(Kubectl)
            .WithArguments(["kustomize", RepositoryRoot.Combine(component, "deploy")])
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        result.ExitCode.ShouldBe(0, $"kubectl kustomize {component}/deploy: {result.StandardError}");
        return result.StandardOutput;
    }

    /// <summary>
    /// Renders the base with one of its components (e.g. <c>postgres</c>) the way a user would: a kustomization of their
    /// own (here in a temporary directory) that names the base as a resource and the component as a component.
    /// </summary>
    public static async Task<string> RenderWithComponentAsync(string component, string name)
    {
        var overlay = Directory.CreateTempSubdirectory("polyarch-overlay-").FullName;
        try
        {
            var deploy = RepositoryRoot.Combine(component, "deploy");
            // kustomize takes relative paths only.
            await File.WriteAllTextAsync(Path.Combine(overlay, "kustomization.yaml"), $"""
                resources: ["{Path.GetRelativePath(overlay, deploy)}"]
                components: ["{Path.GetRelativePath(overlay, Path.Combine(deploy, name))}"]
                """);
            var result = await Cli.Wrap(Kubectl)
                .WithArguments(["kustomize", overlay])
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync();
            result.ExitCode.ShouldBe(0, $"kubectl kustomize {component}/deploy + {name}: {result.StandardError}");
            return result.StandardOutput;
        }
        finally
        {
            Directory.Delete(overlay, recursive: true);
        }
    }

    /// <summary>
    /// Strict load: an unknown field (a typo such as readinesProbe), a value of the wrong type or an unknown kind
    /// throws; then each model's Validate() checks the fields the API marks required. KubernetesClient's models are
    /// generated from the Kubernetes OpenAPI specification.
    /// </summary>
    public static List<IKubernetesObject> Load(string yaml)
    {
        var objects = KubernetesYaml.LoadAllFromString(yaml, Kinds, strict: true).Cast<IKubernetesObject>().ToList();
        foreach (var o in objects)
        {
            o.GetType().GetMethod("Validate", Type.EmptyTypes)?.Invoke(o, null);
        }

        return objects;
    }
}

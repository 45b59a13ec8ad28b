using k8s;
using k8s.Models;

namespace Polyarch.Invoker.Kubernetes.Pods;

/// <summary>Reads the site's pod template (a V1Pod in YAML or JSON, e.g. a mounted ConfigMap key).</summary>
internal static class PodTemplateLoader
{
    public static async Task<V1Pod?> LoadAsync(string? path, CancellationToken cancellationToken) =>
        string.IsNullOrWhiteSpace(path) ? null : Parse(path, await ReadAsync(path, cancellationToken));

    /// <summary>Reads the template once at start-up (a DI factory cannot await).</summary>
    public static V1Pod? Load(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : Parse(path, ReadAsync(path, CancellationToken.None).GetAwaiter().GetResult());

    private static async Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            return await File.ReadAllTextAsync(path, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"Cannot read the pod template {path}: {ex.Message}. Fix Kubernetes:PodTemplateFile or remove it.", ex);
        }
    }

    private static V1Pod Parse(string path, string text)
    {
        try
        {
            // YAML is a superset of JSON, so one parser serves both.
            var pod = KubernetesYaml.Deserialize<V1Pod>(text);
            return pod ?? throw new InvalidOperationException($"The pod template {path} is empty. Put a V1Pod (kind: Pod) in it.");
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            throw new InvalidOperationException($"The pod template {path} is not a valid Pod ({ex.Message}). It must be a V1Pod in YAML or JSON.", ex);
        }
    }
}

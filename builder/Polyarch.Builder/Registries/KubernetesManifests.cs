using System.Text;

namespace Polyarch.Builder.Registries;

/// <summary>A DaemonSet that installs a registry's containerd hosts.toml (and CA) on every node of a cluster.</summary>
internal static class KubernetesManifests
{
    public static string Kustomization() =>
        """
        # kubectl apply -k .  (or kubectl kustomize . to see what it applies)
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources:
          - daemonset.yaml

        """.ReplaceLineEndings("\n");

    public static string DaemonSet(RegistryProfile profile, string hostsToml)
    {
        var name = $"polyarch-registry-{profile.Slug}";
        if (name.Length > 63)
        {
            name = name[..63].TrimEnd('-');
        }

        var text = new StringBuilder()
            .AppendLine($"# Installs /etc/containerd/certs.d/{profile.Registry}/ on every node (containerd reads it on each pull; nothing restarts).")
            .AppendLine("# Written by polyarch-builder registry profile. The images must be pullable by the nodes (both are multi-arch).")
            .AppendLine("apiVersion: v1")
            .AppendLine("kind: ConfigMap")
            .AppendLine("metadata:")
            .AppendLine($"  name: {name}")
            .AppendLine("  namespace: kube-system")
            .AppendLine("  labels:")
            .AppendLine("    app.kubernetes.io/name: polyarch-registry-hosts")
            .AppendLine("    app.kubernetes.io/managed-by: polyarch")
            .AppendLine("data:")
            .AppendLine("  hosts.toml: |");
        AppendIndented(text, hostsToml, "    ");
        if (profile.CaPem is { } ca)
        {
            text.AppendLine("  ca.crt: |");
            AppendIndented(text, ca, "    ");
        }

        text.AppendLine("---")
            .AppendLine("apiVersion: apps/v1")
            .AppendLine("kind: DaemonSet")
            .AppendLine("metadata:")
            .AppendLine($"  name: {name}")
            .AppendLine("  namespace: kube-system")
            .AppendLine("  labels:")
            .AppendLine("    app.kubernetes.io/name: polyarch-registry-hosts")
            .AppendLine("    app.kubernetes.io/managed-by: polyarch")
            .AppendLine("spec:")
            .AppendLine("  selector:")
            .AppendLine("    matchLabels:")
            .AppendLine($"      app.kubernetes.io/instance: {name}")
            .AppendLine("  template:")
            .AppendLine("    metadata:")
            .AppendLine("      labels:")
            .AppendLine("        app.kubernetes.io/name: polyarch-registry-hosts")
            .AppendLine($"        app.kubernetes.io/instance: {name}")
            .AppendLine("      annotations:")
            .AppendLine($"        polyarch.io/registry: \"{profile.Registry}\"")
            .AppendLine("    spec:")
            .AppendLine("      tolerations:")
            .AppendLine("        - operator: Exists")
            .AppendLine("      initContainers:")
            .AppendLine("        - name: install-hosts-toml")
            .AppendLine("          image: busybox:1.36")
            .AppendLine($"          command: [\"sh\", \"-c\", \"mkdir -p '/host/{profile.Registry}' && cp -L /profile/* '/host/{profile.Registry}/'\"]")
            .AppendLine("          securityContext:")
            .AppendLine("            privileged: true")
            .AppendLine("          volumeMounts:")
            .AppendLine("            - name: containerd-certs-d")
            .AppendLine("              mountPath: /host")
            .AppendLine("            - name: profile")
            .AppendLine("              mountPath: /profile")
            .AppendLine("              readOnly: true")
            .AppendLine("      containers:")
            .AppendLine("        - name: pause")
            .AppendLine("          image: registry.k8s.io/pause:3.9")
            .AppendLine("          resources:")
            .AppendLine("            requests: {cpu: 1m, memory: 4Mi}")
            .AppendLine("            limits: {cpu: 10m, memory: 16Mi}")
            .AppendLine("      volumes:")
            .AppendLine("        - name: containerd-certs-d")
            .AppendLine("          hostPath:")
            .AppendLine("            path: /etc/containerd/certs.d")
            .AppendLine("            type: DirectoryOrCreate")
            .AppendLine("        - name: profile")
            .AppendLine("          configMap:")
            .AppendLine($"            name: {name}");
        return text.ToString().ReplaceLineEndings("\n");
    }

    private static void AppendIndented(StringBuilder text, string content, string indent)
    {
        foreach (var line in content.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
        {
            text.Append(indent).AppendLine(line);
        }
    }
}

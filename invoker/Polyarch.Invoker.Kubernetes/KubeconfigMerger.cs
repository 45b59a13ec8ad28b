using k8s;
using k8s.KubeConfigModels;

namespace Polyarch.Invoker.Kubernetes;

/// <summary>
/// Merges kubeconfig files as kubectl does with a KUBECONFIG list: for each cluster, user and context name the first
/// file that defines it wins, and so does the first current-context. Paths inside a file (certificate-authority,
/// client-certificate, client-key) are made absolute against that file's directory first, so a merged entry still
/// finds its files. (KubernetesClient merges the same way internally, but not behind a public API that takes a context.)
/// </summary>
internal static class KubeconfigMerger
{
    public static K8SConfiguration Load(IReadOnlyList<FileInfo> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        K8SConfiguration? merged = null;
        var clusters = new List<Cluster>();
        var users = new List<User>();
        var contexts = new List<Context>();
        foreach (var file in files)
        {
            var config = KubernetesClientConfiguration.LoadKubeConfig(file, useRelativePaths: false);
            var directory = file.DirectoryName ?? ".";
            merged ??= config;
            if (string.IsNullOrEmpty(merged.CurrentContext) && !string.IsNullOrEmpty(config.CurrentContext))
            {
                merged.CurrentContext = config.CurrentContext;
            }

            foreach (var cluster in config.Clusters ?? [])
            {
                if (cluster.ClusterEndpoint is { } endpoint)
                {
                    endpoint.CertificateAuthority = Absolute(endpoint.CertificateAuthority, directory);
                }

                AddFirst(clusters, cluster, cluster.Name);
            }

            foreach (var user in config.Users ?? [])
            {
                if (user.UserCredentials is { } credentials)
                {
                    credentials.ClientCertificate = Absolute(credentials.ClientCertificate, directory);
                    credentials.ClientKey = Absolute(credentials.ClientKey, directory);
                }

                AddFirst(users, user, user.Name);
            }

            foreach (var context in config.Contexts ?? [])
            {
                AddFirst(contexts, context, context.Name);
            }
        }

        if (merged is null)
        {
            throw new FileNotFoundException("no kubeconfig file was given");
        }

        merged.Clusters = clusters;
        merged.Users = users;
        merged.Contexts = contexts;
        merged.FileName = null;
        return merged;
    }

    private static void AddFirst<T>(List<T> list, T item, string name)
    {
        if (!list.Exists(existing => NameOf(existing) == name))
        {
            list.Add(item);
        }
    }

    private static string? NameOf<T>(T item) => item switch
    {
        Cluster c => c.Name,
        User u => u.Name,
        Context c => c.Name,
        _ => null,
    };

    private static string? Absolute(string? path, string directory) =>
        string.IsNullOrEmpty(path) || Path.IsPathRooted(path) ? path : Path.GetFullPath(Path.Combine(directory, path));
}

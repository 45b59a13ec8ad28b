namespace Polyarch.Invoker.Kubernetes.Tests.Deploy;

/// <summary>Where the repository's Kubernetes manifests live.</summary>
internal static class DeployPaths
{
    public static string Invoker { get; } = Path.Combine(RepositoryRoot(), "invoker", "deploy");

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

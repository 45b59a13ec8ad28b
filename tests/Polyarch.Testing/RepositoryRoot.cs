namespace Polyarch.Testing;

/// <summary>Locates the Polyarch checkout the tests run from (the directory that holds Build.sln).</summary>
public static class RepositoryRoot
{
    private static readonly Lazy<string> Root = new(Find);

    /// <summary>The absolute path of the repository root.</summary>
    public static string Path => Root.Value;

    /// <summary>An absolute path under the repository root.</summary>
    public static string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Build.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException(
            $"Cannot find Build.sln above {AppContext.BaseDirectory}; run the tests from a Polyarch checkout.");
    }
}

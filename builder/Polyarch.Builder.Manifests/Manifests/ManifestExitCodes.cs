namespace Polyarch.Builder.Manifests;

/// <summary>The exit codes of the manifest verbs (conventions.md: the same for every Polyarch CLI).</summary>
internal static class ManifestExitCodes
{
    public const int Success = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int DependencyUnavailable = 3;
}

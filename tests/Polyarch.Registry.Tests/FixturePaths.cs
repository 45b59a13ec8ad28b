namespace Polyarch.Registry.Tests;

/// <summary>Where the copied fixtures sit next to the test assembly.</summary>
internal static class FixturePaths
{
    public static string Root => Path.Combine(AppContext.BaseDirectory, "Fixtures");

    public static string Manifests => Path.Combine(Root, "manifests");

    public static string Notifications => Path.Combine(Root, "registry-notifications", "distribution-2.8.2-buildx-multiarch-push");

    public static string ArtifactNotifications => Path.Combine(Root, "registry-notifications", "distribution-2.8.2-oci-artifact-push");

    public static string Schemas => Path.Combine(Root, "oci-image-spec-schema");

    public static byte[] Manifest(string name) => File.ReadAllBytes(Path.Combine(Manifests, name));
}

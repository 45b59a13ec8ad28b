using System.CommandLine;

namespace Polyarch.Builder.Manifests;

/// <summary>`polyarch-builder manifest …`: inspect, create and append multi-platform indexes.</summary>
internal static class ManifestCommand
{
    public static Command Create() =>
        new("manifest", "Inspect and assemble multi-platform image indexes in a registry")
        {
            ManifestInspectCommand.Create(),
            ManifestCreateCommand.Create(),
            ManifestAppendCommand.Create(),
        };
}

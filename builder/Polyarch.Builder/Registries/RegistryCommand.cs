using System.CommandLine;

namespace Polyarch.Builder.Registries;

/// <summary>`polyarch-builder registry …`: what the engine, BuildKit, nodes and tools need to reach a private registry.</summary>
internal static class RegistryCommand
{
    public static Command Create() =>
        new("registry", "Configure every consumer of a private or insecure registry")
        {
            RegistryProfileCommand.Create(),
        };
}

namespace Polyarch.Testing;

/// <summary>The container host (engine, QEMU, registry, base image) is not up; the message says how to fix it.</summary>
public sealed class ContainerHostMissingException(string what)
    : Exception($"The container host is not ready: {what}. Run '{HostSettings.UpCommand}' in {RepositoryRoot.Path} and run the tests again.");

namespace Polyarch.Builder.Registries;

/// <summary>A profile input (the registry, the CA file, an existing file to merge into) that cannot be used; exit code 2.</summary>
internal sealed class ProfileInputException(string message) : Exception(message);

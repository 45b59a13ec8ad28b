namespace Polyarch.Builder.Errors;

/// <summary>Something the builder needs (docker, buildx, the registry, a git remote) did not answer.</summary>
public sealed class DependencyUnavailableException(string message, Exception? innerException = null)
    : BuilderException(message, innerException)
{
    /// <inheritdoc />
    public override int ExitCode => 3;
}

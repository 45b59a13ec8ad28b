namespace Polyarch.Builder.Errors;

/// <summary>The request cannot be built as given (unknown ref, no Dockerfile, impossible platform …).</summary>
public sealed class InvalidBuildInputException(string message, Exception? innerException = null)
    : BuilderException(message, innerException)
{
    /// <inheritdoc />
    public override int ExitCode => 2;
}

namespace Polyarch.Builder.Errors;

/// <summary>The base of every error polyarch-builder reports to a user.</summary>
public abstract class BuilderException : Exception
{
    protected BuilderException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>The CLI exit code this error maps to (conventions.md: 1 failed, 2 bad input, 3 dependency unavailable).</summary>
    public abstract int ExitCode { get; }
}

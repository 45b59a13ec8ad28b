namespace Polyarch.Builder.Errors;

/// <summary>A build ran and failed; names the platform and the step when buildx said which.</summary>
public sealed class BuildFailedException : BuilderException
{
    public BuildFailedException(string message, string? platform = null, string? step = null, string? logTail = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Platform = platform;
        Step = step;
        LogTail = logTail;
    }

    /// <summary>The platform whose step failed, if known (e.g. linux/arm64).</summary>
    public string? Platform { get; }

    /// <summary>The failing step as buildx names it (e.g. <c>[linux/arm64 2/2] RUN make</c>).</summary>
    public string? Step { get; }

    /// <summary>The last lines that step printed.</summary>
    public string? LogTail { get; }

    /// <inheritdoc />
    public override int ExitCode => 1;
}

namespace Polyarch.Invoker.Kubernetes.Tests.Support;

/// <summary>
/// A wall-clock bound for every await in these tests, so a lost event or a deadline that never fires (for example on a
/// fake clock) ends the test with an OperationCanceledException instead of hanging the test host. Not a speed assertion:
/// the bounds are far above what any of these tests needs, even on a loaded 2-core machine.
/// </summary>
internal static class TestTimeout
{
    /// <summary>For in-process calls against the API-server double.</summary>
    public static readonly TimeSpan InProcess = TimeSpan.FromSeconds(30);

    /// <summary>For a child process (dotnet start-up included).</summary>
    public static readonly TimeSpan Process = TimeSpan.FromSeconds(45);

    /// <summary>A token cancelled after <paramref name="after"/> (default <see cref="InProcess"/>) of real time.</summary>
    public static CancellationToken Token(TimeSpan? after = null) => new CancellationTokenSource(after ?? InProcess).Token;
}

namespace Polyarch.Invoker.State;

/// <summary>SQLite's leadership: one process per file, so it always leads.</summary>
internal sealed class SoleLeadership : ILeadership
{
    public static readonly SoleLeadership Instance = new();

    public Task<bool> IsHeldAsync(CancellationToken cancellationToken) => Task.FromResult(true);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}

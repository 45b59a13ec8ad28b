namespace Polyarch.Invoker.Pool;

/// <summary>What the warm pool holds for a key right now (placement ranks candidates by it).</summary>
internal enum PoolLoad
{
    /// <summary>No idle container, room for a new one.</summary>
    Available,

    /// <summary>An idle, live container is waiting: the activation is warm.</summary>
    Idle,

    /// <summary>The key is at its cap with every container busy: the activation would wait.</summary>
    Full,
}

namespace Polyarch.Invoker.Pool;

/// <summary>A container held for one activation; give it back with <see cref="WarmPool.Release"/>.</summary>
internal sealed record PoolLease(PoolKey Key, IWarmContainer Container, bool Cold, TimeSpan Wait);

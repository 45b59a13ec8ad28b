namespace Polyarch.Invoker.Pool;

/// <summary>A running container that serves one activation at a time and may be reused.</summary>
internal interface IWarmContainer : IAsyncDisposable
{
    public string Id { get; }

    /// <summary>False once the container was seen dead (connection refused, exited): never reused.</summary>
    public bool IsAlive { get; }
}

using Polyarch.Invoker.Pool;

namespace Polyarch.Invoker.Testing.Fakes;

internal sealed class FakeContainer(string id) : IWarmContainer
{
    public string Id { get; } = id;

    public bool IsAlive { get; set; } = true;

    public bool Disposed { get; private set; }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

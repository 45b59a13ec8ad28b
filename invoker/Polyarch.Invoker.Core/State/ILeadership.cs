namespace Polyarch.Invoker.State;

/// <summary>Leadership of one kind of work (see <see cref="StoreDatabase.TryLeadAsync"/>); dispose to give it up.</summary>
internal interface ILeadership : IAsyncDisposable
{
    /// <summary>False once the lock is lost (its connection broke): the holder must try to lead again.</summary>
    public Task<bool> IsHeldAsync(CancellationToken cancellationToken);
}

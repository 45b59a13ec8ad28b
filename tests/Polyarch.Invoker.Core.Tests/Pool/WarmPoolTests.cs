using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Pool;
using Polyarch.Invoker.Testing.Fakes;

namespace Polyarch.Invoker.Core.Tests.Pool;

public sealed class WarmPoolTests : IAsyncLifetime
{
    private static readonly PoolKey KeyA = new("echo", "linux/amd64", "sha256:a", "mem=256");
    private static readonly PoolKey KeyB = new("echo", "linux/arm64", "sha256:b", "mem=256");
    private readonly FakeTimeProvider _time = new();
    private readonly List<FakeContainer> _created = [];
    private WarmPool _pool = null!;

    public Task InitializeAsync()
    {
        _pool = Create(new WarmPoolOptions { IdleTimeout = TimeSpan.FromMinutes(10), MaxContainersPerKey = 2, MaxContainers = 3, SweepInterval = TimeSpan.FromHours(1) });
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _pool.DisposeAsync();

    [Fact]
    public async Task Acquire_AfterRelease_ReusesTheWarmContainer()
    {
        var first = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        _pool.Release(first, reusable: true);

        var second = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);

        first.Cold.ShouldBeTrue();
        second.Cold.ShouldBeFalse();
        second.Container.ShouldBeSameAs(first.Container);
        _created.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Drop_RemovesTheIdleContainersNamed_LeavesBusyAndOthers()
    {
        var idleExited = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        var idleRunning = await _pool.AcquireAsync(KeyB, Create, CancellationToken.None);
        var busyExited = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        _pool.Release(idleExited, reusable: true);
        _pool.Release(idleRunning, reusable: true);

        var dropped = await _pool.DropAsync(new HashSet<string> { idleExited.Container.Id, busyExited.Container.Id });

        dropped.ShouldBe([idleExited.Container.Id]);
        ((FakeContainer)idleExited.Container).Disposed.ShouldBeTrue();
        ((FakeContainer)busyExited.Container).Disposed.ShouldBeFalse();
        _pool.Total.ShouldBe(2);
        _pool.IdleCount(KeyA).ShouldBe(0);
        _pool.IdleCount(KeyB).ShouldBe(1);
    }

    [Fact]
    public async Task Acquire_WhileBusy_StartsASecondContainer_OneActivationPerContainer()
    {
        var first = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        var second = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);

        second.Container.ShouldNotBeSameAs(first.Container);
        _pool.Total.ShouldBe(2);
    }

    [Fact]
    public async Task Acquire_AtPerKeyCap_WaitsForARelease()
    {
        var first = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);

        var third = _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        third.IsCompleted.ShouldBeFalse();
        _pool.Release(first, reusable: true);

        (await third).Container.ShouldBeSameAs(first.Container);
        _created.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Acquire_AtGlobalCap_EvictsTheOldestIdleContainerOfAnotherKey()
    {
        var a1 = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        var a2 = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        var b1 = await _pool.AcquireAsync(KeyB, Create, CancellationToken.None);
        _pool.Release(a1, reusable: true);
        _time.Advance(TimeSpan.FromSeconds(1));
        _pool.Release(a2, reusable: true);

        _pool.Release(b1, reusable: true);
        var b2 = await _pool.AcquireAsync(KeyB, Create, CancellationToken.None);
        var b3 = await _pool.AcquireAsync(KeyB, Create, CancellationToken.None);

        b2.Container.ShouldBeSameAs(b1.Container);
        b3.Cold.ShouldBeTrue();
        ((FakeContainer)a1.Container).Disposed.ShouldBeTrue();
        ((FakeContainer)a2.Container).Disposed.ShouldBeFalse();
        _pool.Total.ShouldBe(3);
    }

    [Fact]
    public async Task Acquire_DeadIdleContainer_IsDroppedAndReplaced()
    {
        var first = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        _pool.Release(first, reusable: true);
        ((FakeContainer)first.Container).IsAlive = false;

        var second = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);

        second.Cold.ShouldBeTrue();
        ((FakeContainer)first.Container).Disposed.ShouldBeTrue();
        _pool.Total.ShouldBe(1);
    }

    [Fact]
    public async Task Release_NotReusable_RemovesTheContainer()
    {
        var lease = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);

        _pool.Release(lease, reusable: false);

        ((FakeContainer)lease.Container).Disposed.ShouldBeTrue();
        _pool.Total.ShouldBe(0);
    }

    [Fact]
    public async Task Sweep_RemovesContainersIdleLongerThanTheTimeout()
    {
        var lease = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        _pool.Release(lease, reusable: true);

        _time.Advance(TimeSpan.FromMinutes(9));
        await _pool.SweepAsync();
        _pool.IdleCount(KeyA).ShouldBe(1);

        _time.Advance(TimeSpan.FromMinutes(2));
        await _pool.SweepAsync();
        _pool.IdleCount(KeyA).ShouldBe(0);
        ((FakeContainer)lease.Container).Disposed.ShouldBeTrue();
    }

    [Fact]
    public async Task Acquire_CreateFails_FreesTheSlot()
    {
        await Should.ThrowAsync<InvalidOperationException>(() =>
            _pool.AcquireAsync(KeyA, _ => throw new InvalidOperationException("engine down"), CancellationToken.None));

        _pool.Total.ShouldBe(0);
        var lease = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        lease.Cold.ShouldBeTrue();
    }

    [Fact]
    public async Task Dispose_RemovesIdleContainers()
    {
        var lease = await _pool.AcquireAsync(KeyA, Create, CancellationToken.None);
        _pool.Release(lease, reusable: true);

        await _pool.DisposeAsync();

        ((FakeContainer)lease.Container).Disposed.ShouldBeTrue();
    }

    [Fact]
    public async Task Dispose_WaitsForTheRemovalsUnderWay_OfContainersReleasedUnusable()
    {
        // An activation cancelled as the invoker stops releases its container unusable: its removal starts in the
        // background and must end before the pool's owner (and the engine's client) is gone.
        var removal = new TaskCompletionSource();
        var container = new SlowRemovalContainer(removal.Task);
        var lease = await _pool.AcquireAsync(KeyA, _ => Task.FromResult<IWarmContainer>(container), CancellationToken.None);
        _pool.Release(lease, reusable: false, "its activation was cancelled");

        var disposing = _pool.DisposeAsync().AsTask();
        var doneBeforeRemoval = disposing.IsCompleted;
        removal.SetResult();
        await disposing;

        doneBeforeRemoval.ShouldBeFalse("the pool should wait for the container's removal under way");
        container.Removed.ShouldBeTrue();
    }

    private Task<IWarmContainer> Create(CancellationToken cancellationToken)
    {
        var container = new FakeContainer($"c{_created.Count}");
        _created.Add(container);
        return Task.FromResult<IWarmContainer>(container);
    }

    private WarmPool Create(WarmPoolOptions options) => new(Options.Create(options), _time, NullLogger<WarmPool>.Instance);
}

/// <summary>A container whose removal takes until <paramref name="removal"/> completes (the engine's DELETE under way).</summary>
internal sealed class SlowRemovalContainer(Task removal) : IWarmContainer
{
    public string Id => "slow-removal";

    public bool IsAlive => false;

    public bool Removed { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await removal;
        Removed = true;
    }
}

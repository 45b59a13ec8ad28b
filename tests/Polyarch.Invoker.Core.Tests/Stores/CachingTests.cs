using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.Core.Tests.Stores;

public sealed class CachingTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task VariantCatalog_CachesTagsBriefly_DigestsForGood()
    {
        var inner = new CountingCatalog();
        var catalog = new CachingVariantCatalog(inner, _time, TimeSpan.FromSeconds(30));

        await catalog.GetAsync("r/a:latest", CancellationToken.None);
        await catalog.GetAsync("r/a:latest", CancellationToken.None);
        await catalog.GetAsync("r/a@sha256:0123", CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(31));
        await catalog.GetAsync("r/a:latest", CancellationToken.None);
        await catalog.GetAsync("r/a@sha256:0123", CancellationToken.None);

        inner.Calls.ShouldBe(["r/a:latest", "r/a@sha256:0123", "r/a:latest"]);
    }

    [Fact]
    public async Task ActionStore_OwnWritesTakeEffectAtOnce_OthersWithinTheWindow()
    {
        var inner = new MemoryActionStore();
        var store = new CachingActionStore(inner, _time, TimeSpan.FromSeconds(2));

        (await store.GetAsync("a", CancellationToken.None)).ShouldBeNull();
        await store.PutAsync(new ActionDefinition { Name = "a", Image = "r/a" }, CancellationToken.None);
        (await store.GetAsync("a", CancellationToken.None))!.Image.ShouldBe("r/a");

        await inner.PutAsync(new ActionDefinition { Name = "a", Image = "r/b" }, CancellationToken.None);
        (await store.GetAsync("a", CancellationToken.None))!.Image.ShouldBe("r/a");
        _time.Advance(TimeSpan.FromSeconds(3));
        (await store.GetAsync("a", CancellationToken.None))!.Image.ShouldBe("r/b");

        await store.DeleteAsync("a", CancellationToken.None);
        (await store.GetAsync("a", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task ActivationRecorder_RecordsAreReadableAtOnce_AndWrittenByDispose()
    {
        var inner = new MemoryActivationStore();
        var recorder = new ActivationRecorder(inner, NullLogger<ActivationRecorder>.Instance);
        var records = Enumerable.Range(0, 50).Select(i => new ActivationRecord
        {
            ActivationId = ActivationId.New(),
            Action = i % 2 == 0 ? "even" : "odd",
            Image = "r/a",
            Backend = "docker",
            Status = ActivationStatus.Success,
            Start = DateTimeOffset.UnixEpoch.AddSeconds(i),
        }).ToList();

        foreach (var record in records)
        {
            await recorder.SaveAsync(record, CancellationToken.None);
        }

        (await recorder.GetAsync(records[7].ActivationId, CancellationToken.None)).ShouldBe(records[7]);
        (await recorder.ListAsync("even", 5, CancellationToken.None)).Select(r => r.Start.ToUnixTimeSeconds()).ShouldBe([48, 46, 44, 42, 40]);
        await recorder.DisposeAsync();
        inner.Records.Count.ShouldBe(50);
    }

    private sealed class CountingCatalog : IVariantCatalog
    {
        public List<string> Calls { get; } = [];

        public Task<ImageVariants> GetAsync(string image, CancellationToken cancellationToken)
        {
            Calls.Add(image);
            return Task.FromResult(new ImageVariants(image, "r/a", "sha256:i", []));
        }
    }

    private sealed class MemoryActionStore : IActionStore
    {
        private readonly Dictionary<string, ActionDefinition> _actions = [];

        public Task PutAsync(ActionDefinition action, CancellationToken cancellationToken)
        {
            _actions[action.Name] = action;
            return Task.CompletedTask;
        }

        public Task<ActionDefinition?> GetAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_actions.GetValueOrDefault(name));

        public Task<IReadOnlyList<ActionDefinition>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<ActionDefinition>>([.. _actions.Values]);

        public Task<bool> DeleteAsync(string name, CancellationToken cancellationToken) => Task.FromResult(_actions.Remove(name));
    }

    private sealed class MemoryActivationStore : IActivationStore
    {
        public System.Collections.Concurrent.ConcurrentDictionary<string, ActivationRecord> Records { get; } = new();

        public Task SaveAsync(ActivationRecord record, CancellationToken cancellationToken)
        {
            Records[record.ActivationId] = record;
            return Task.CompletedTask;
        }

        public Task<ActivationRecord?> GetAsync(string activationId, CancellationToken cancellationToken) => Task.FromResult(Records.GetValueOrDefault(activationId));

        public Task<IReadOnlyList<ActivationRecord>> ListAsync(string? action, int limit, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<ActivationRecord>>([.. Records.Values.Where(r => action is null || r.Action == action).OrderByDescending(r => r.Start).Take(limit)]);
    }
}

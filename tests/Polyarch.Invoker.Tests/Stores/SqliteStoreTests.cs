using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Json;
using Polyarch.Invoker.State;

namespace Polyarch.Invoker.Tests.Stores;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("invoker-db-").FullName;
    private readonly InvokerDatabase _database;

    public SqliteStoreTests() => _database = new InvokerDatabase(Path.Combine(_dir, "nested", "invoker.db"));

    public void Dispose()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public async Task Actions_PutGetListDelete_RoundTrip()
    {
        var store = new DbActionStore(_database, new FakeTimeProvider());
        var action = new ActionDefinition
        {
            Name = "echo",
            Image = "127.0.0.1:5000/demo/echo:latest",
            Protocol = ActionProtocol.Exec,
            MemoryMb = 128,
            Environment = new Dictionary<string, string> { ["GREETING"] = "hi" },
            Placement = new ActionPlacement { Preferred = ["linux/arm64"], AllowEmulation = false },
        };

        await store.PutAsync(action, CancellationToken.None);
        await store.PutAsync(action with { MemoryMb = 512 }, CancellationToken.None);
        var loaded = await store.GetAsync("echo", CancellationToken.None);

        loaded.ShouldNotBeNull();
        loaded.MemoryMb.ShouldBe(512);
        loaded.Protocol.ShouldBe(ActionProtocol.Exec);
        loaded.Environment["GREETING"].ShouldBe("hi");
        loaded.Placement.Preferred.ShouldBe(["linux/arm64"]);
        loaded.Placement.AllowEmulation.ShouldBeFalse();
        (await store.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
        (await store.DeleteAsync("echo", CancellationToken.None)).ShouldBeTrue();
        (await store.DeleteAsync("echo", CancellationToken.None)).ShouldBeFalse();
        (await store.GetAsync("echo", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task AcceptedActivation_StaysUntilItsRecordIsStored_ThenLeavesWithIt()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var accepted = new AcceptedActivationStore(_database, clock);
        var records = new DbActivationStore(_database);
        var id = ActivationId.New();
        var other = ActivationId.New();
        await accepted.AddAsync(new AcceptedActivation(id, "echo", new JsonObject { ["x"] = 1 }, "linux/arm64", AcceptedActivation.Pending, clock.GetUtcNow()), CancellationToken.None);
        await accepted.AddAsync(new AcceptedActivation(other, "echo", [], null, AcceptedActivation.Pending, clock.GetUtcNow()), CancellationToken.None);

        await accepted.MarkRunningAsync(id, CancellationToken.None);
        var running = await accepted.GetAsync(id, CancellationToken.None);
        await records.SaveManyAsync([new ActivationRecord { ActivationId = id, Action = "echo", Image = "i", Backend = "docker", Status = ActivationStatus.Success }], CancellationToken.None);

        running.ShouldNotBeNull();
        running.State.ShouldBe(AcceptedActivation.Running);
        running.Params["x"]!.GetValue<int>().ShouldBe(1);
        running.Platform.ShouldBe("linux/arm64");
        running.Accepted.ShouldBe(clock.GetUtcNow());
        (await accepted.GetAsync(id, CancellationToken.None)).ShouldBeNull();
        (await records.GetAsync(id, CancellationToken.None)).ShouldNotBeNull();
        (await accepted.ListAsync(CancellationToken.None)).Select(a => a.ActivationId).ShouldBe([other]);
    }

    [Fact]
    public async Task Actions_HostileName_IsStoredAsData()
    {
        var store = new DbActionStore(_database, new FakeTimeProvider());

        (await store.GetAsync("x'; DROP TABLE actions; --", CancellationToken.None)).ShouldBeNull();
        await store.PutAsync(new ActionDefinition { Name = "ok", Image = "r/i" }, CancellationToken.None);
        (await store.ListAsync(CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Activations_SaveGetList_NewestFirst_FilteredByAction()
    {
        var store = new DbActivationStore(_database);
        var start = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        for (var i = 0; i < 5; i++)
        {
            await store.SaveAsync(Record(ActivationId.New(), i % 2 == 0 ? "a" : "b", start.AddSeconds(i)), CancellationToken.None);
        }

        var all = await store.ListAsync(null, 10, CancellationToken.None);
        var onlyA = await store.ListAsync("a", 10, CancellationToken.None);

        all.Count.ShouldBe(5);
        all[0].Start.ShouldBe(start.AddSeconds(4));
        onlyA.Count.ShouldBe(3);
        onlyA.ShouldAllBe(r => r.Action == "a");
        (await store.ListAsync(null, 2, CancellationToken.None)).Count.ShouldBe(2);
        (await store.GetAsync(all[2].ActivationId, CancellationToken.None))!.Result!["n"]!.GetValue<int>().ShouldBe(1);
        (await store.GetAsync(ActivationId.New(), CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Activations_SaveMany_StoresTheWholeBatch_AndReplacesBySameId()
    {
        IActivationStore store = new DbActivationStore(_database);
        var start = new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
        var batch = Enumerable.Range(0, 300).Select(i => Record(ActivationId.New(), "batch", start.AddMilliseconds(i))).ToList();
        var again = batch[7] with { Status = ActivationStatus.Success };

        await store.SaveManyAsync(batch, CancellationToken.None);
        await store.SaveManyAsync([again], CancellationToken.None);

        (await store.ListAsync("batch", 1000, CancellationToken.None)).Count.ShouldBe(300);
        (await store.GetAsync(batch[299].ActivationId, CancellationToken.None))!.Start.ShouldBe(start.AddMilliseconds(299));
        (await store.GetAsync(again.ActivationId, CancellationToken.None))!.Status.ShouldBe(ActivationStatus.Success);
    }

    [Fact]
    public void ActivationRecord_Json_HasTheConventionFieldNames()
    {
        var json = JsonSerializer.SerializeToNode(Record("0123456789abcdef0123456789abcdef", "echo", DateTimeOffset.UnixEpoch), InvokerJson.Options)!.AsObject();

        json.Select(p => p.Key).ShouldBe(
            ["activationId", "action", "image", "indexDigest", "childDigest", "platform", "emulated", "backend", "node", "cold",
             "waitMs", "initMs", "runMs", "start", "end", "status", "result", "logs", "truncated"]);
        json["status"]!.GetValue<string>().ShouldBe("application error");
    }

    private static ActivationRecord Record(string id, string action, DateTimeOffset start) => new()
    {
        ActivationId = id,
        Action = action,
        Image = "127.0.0.1:5000/demo/echo:latest",
        IndexDigest = "sha256:i",
        ChildDigest = "sha256:c",
        Platform = "linux/arm64",
        Emulated = true,
        Backend = "docker",
        Node = "n",
        Cold = true,
        Start = start,
        End = start.AddMilliseconds(5),
        Status = ActivationStatus.ApplicationError,
        Result = new JsonObject { ["n"] = 1 },
        Logs = ["stdout: hi"],
    };
}

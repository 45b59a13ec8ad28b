using Microsoft.Extensions.DependencyInjection;
using Polyarch.Builder.Builds;
using Polyarch.Builder.Publishing;
using Polyarch.Builder.Records;
using Polyarch.Builder.Tests.Support;

namespace Polyarch.Builder.Tests.Records;

/// <summary>What every build store does, whichever the provider: run once per provider by the derived classes.</summary>
#pragma warning disable CA1001 // The state directory is disposed in IAsyncLifetime.DisposeAsync.
public abstract class BuildStoreTests : IAsyncLifetime
#pragma warning restore CA1001
{
    protected const string CommitA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    protected const string CommitB = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";
    private readonly TempDirectory _state = new();
    private ServiceProvider _services = null!;
    private IBuildStore _store = null!;
    private IReadOnlyDictionary<string, string?> _settings = new Dictionary<string, string?>();

    /// <summary>Starts the provider's store and returns the settings that select it.</summary>
    protected abstract Task<IReadOnlyDictionary<string, string?>> StartStoreAsync();

    /// <summary>Removes what <see cref="StartStoreAsync"/> made.</summary>
    protected abstract Task StopStoreAsync();

    /// <summary>A second service graph on the same store: another process, or another replica.</summary>
    protected ServiceProvider Replica(params (string Key, string? Value)[] settings) =>
        BuilderServices.Create(_state.Path, _settings.Concat(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value));

    /// <summary>The store of the first replica.</summary>
    private protected IBuildStore Store => _store;

    public async Task InitializeAsync()
    {
        _settings = await StartStoreAsync();
        _services = Replica();
        _store = _services.GetRequiredService<IBuildStore>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await StopStoreAsync();
        _state.Dispose();
    }

    protected static BuildRequest Request(string commit = CommitA, string? branch = "main", bool isDefault = true, params string[] platforms) =>
        new("https://git.example.com/team/echo.git", "127.0.0.1:5000", "demo/echo", commit, branch, isDefault,
            platforms.Length > 0 ? platforms : ["linux/amd64", "linux/arm64"], "test");

    [Fact]
    public async Task Submit_is_durable_before_it_returns()
    {
        var submitted = await _store.SubmitAsync(Request(), null, CancellationToken.None);

        using var other = Replica();
        var stored = await other.GetRequiredService<IBuildStore>().GetAsync(submitted.Build.Id, CancellationToken.None);

        submitted.Created.ShouldBeTrue();
        stored.ShouldNotBeNull();
        stored.Status.ShouldBe(BuildStatus.Queued);
        stored.Request.ShouldBeEquivalentTo(submitted.Build.Request);
    }

    [Fact]
    public async Task Same_commit_and_platforms_is_built_once_in_any_platform_order()
    {
        var first = await _store.SubmitAsync(Request(platforms: ["linux/amd64", "linux/arm64"]), null, CancellationToken.None);
        var second = await _store.SubmitAsync(Request(platforms: ["linux/arm64", "linux/amd64"]), null, CancellationToken.None);
        var other = await _store.SubmitAsync(Request(platforms: ["linux/amd64"]), null, CancellationToken.None);

        second.Created.ShouldBeFalse();
        second.Build.Id.ShouldBe(first.Build.Id);
        other.Created.ShouldBeTrue();
    }

    [Fact]
    public async Task A_delivery_delivered_concurrently_creates_one_build()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            Task.Run(() => _store.SubmitAsync(Request(i % 2 == 0 ? CommitA : CommitB), "github:delivery-1", CancellationToken.None))));

        results.Select(r => r.Build.Id).Distinct().Count().ShouldBe(1);
        results.Count(r => r.Created).ShouldBe(1);
        (await _store.ListAsync(100, CancellationToken.None)).Count.ShouldBe(1);
    }

    [Fact]
    public async Task A_newer_push_supersedes_a_queued_older_one_on_the_same_branch_only()
    {
        var old = await _store.SubmitAsync(Request(CommitA, "main"), null, CancellationToken.None);
        var otherBranch = await _store.SubmitAsync(Request("cccccccccccccccccccccccccccccccccccccccc", "dev", false), null, CancellationToken.None);
        var newer = await _store.SubmitAsync(Request(CommitB, "main"), null, CancellationToken.None);

        var superseded = await _store.GetAsync(old.Build.Id, CancellationToken.None);
        superseded!.Status.ShouldBe(BuildStatus.Superseded);
        superseded.SupersededBy.ShouldBe(newer.Build.Id);
        (await _store.GetAsync(otherBranch.Build.Id, CancellationToken.None))!.Status.ShouldBe(BuildStatus.Queued);
    }

    [Fact]
    public async Task A_built_commit_pushed_to_a_new_branch_becomes_a_retag_not_a_rebuild()
    {
        var built = await _store.SubmitAsync(Request(CommitA, "main"), null, CancellationToken.None);
        await _store.ClaimNextAsync(CancellationToken.None);
        var image = new BuiltImage("default", "127.0.0.1:5000", "demo/echo", "sha256:" + new string('1', 64), ["aaaaaaaaaaaa", "main", "latest"],
            [new PlatformDigest("linux/amd64", "sha256:" + new string('2', 64), 100, "amd64")]);
        await _store.FinishAsync(built.Build.Id, BuildStatus.Succeeded, [image], [], [], [], null, new Dictionary<string, string> { ["linux/amd64"] = "log" }, CancellationToken.None);

        var again = await _store.SubmitAsync(Request(CommitA, "main"), null, CancellationToken.None);
        var retag = await _store.SubmitAsync(Request(CommitA, "release", false), null, CancellationToken.None);

        again.Created.ShouldBeFalse();
        again.Build.Images.Single().IndexDigest.ShouldBe(image.IndexDigest);
        retag.Created.ShouldBeTrue();
        retag.Build.ReuseOf.ShouldBe(built.Build.Id);
        (await _store.GetLogsAsync(built.Build.Id, CancellationToken.None))["linux/amd64"].ShouldBe("log");
    }

    [Fact]
    public async Task Pruning_deletes_the_logs_of_finished_builds_beyond_the_count_then_by_age_and_leaves_unfinished_builds_alone()
    {
        var finished = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = (await _store.SubmitAsync(Request($"{i}".PadLeft(40, 'f'), $"f{i}"), null, CancellationToken.None)).Build.Id;
            (await _store.ClaimNextAsync(CancellationToken.None))!.Id.ShouldBe(id);
            await _store.FinishAsync(id, i == 1 ? BuildStatus.Failed : BuildStatus.Succeeded, [], [], [], [], i == 1 ? new BuildError("failed", 1) : null,
                new Dictionary<string, string> { ["linux/amd64"] = $"log {i}", [""] = "push" }, CancellationToken.None);
            finished.Add(id);
            await Task.Delay(20); // Distinct finish times.
        }

        var running = (await _store.SubmitAsync(Request(CommitA, "r"), null, CancellationToken.None)).Build.Id;
        (await _store.ClaimNextAsync(CancellationToken.None))!.Id.ShouldBe(running);
        var queued = (await _store.SubmitAsync(Request(CommitB, "q"), null, CancellationToken.None)).Build.Id;

        var byCount = await _store.PruneLogsAsync(DateTimeOffset.UnixEpoch, keep: 2, CancellationToken.None);

        byCount.ShouldBe(2);
        (await _store.GetLogsAsync(finished[0], CancellationToken.None)).ShouldBeEmpty();
        (await _store.GetLogsAsync(finished[1], CancellationToken.None))["linux/amd64"].ShouldBe("log 1");
        (await _store.GetLogsAsync(finished[2], CancellationToken.None))["linux/amd64"].ShouldBe("log 2");

        var byAge = await _store.PruneLogsAsync(TimeProvider.System.GetUtcNow().AddMinutes(1), keep: 100, CancellationToken.None);

        byAge.ShouldBe(4);
        foreach (var id in finished)
        {
            (await _store.GetLogsAsync(id, CancellationToken.None)).ShouldBeEmpty();
            (await _store.GetAsync(id, CancellationToken.None)).ShouldNotBeNull(); // The record stays; only its logs go.
        }

        (await _store.GetAsync(running, CancellationToken.None))!.Status.ShouldBe(BuildStatus.Running);
        (await _store.GetAsync(queued, CancellationToken.None))!.Status.ShouldBe(BuildStatus.Queued);
    }

    [Fact]
    public async Task Only_a_queued_build_is_cancelled_and_a_cancelled_commit_is_built_again_when_submitted()
    {
        var queued = (await _store.SubmitAsync(Request(CommitA), null, CancellationToken.None)).Build.Id;
        var running = (await _store.SubmitAsync(Request(CommitB, branch: "other", isDefault: false), null, CancellationToken.None)).Build.Id;
        (await _store.TryClaimAsync(running, CancellationToken.None)).ShouldNotBeNull();
        var error = new BuildError("cancelled by a test", 1);

        (await _store.CancelQueuedAsync(queued, error, CancellationToken.None)).ShouldBeTrue();
        (await _store.CancelQueuedAsync(queued, error, CancellationToken.None)).ShouldBeFalse();
        (await _store.CancelQueuedAsync(running, error, CancellationToken.None)).ShouldBeFalse();

        var cancelled = (await _store.GetAsync(queued, CancellationToken.None))!;
        cancelled.Status.ShouldBe(BuildStatus.Cancelled);
        cancelled.IsFinished.ShouldBeTrue();
        cancelled.Error!.Message.ShouldBe("cancelled by a test");
        (await _store.GetAsync(running, CancellationToken.None))!.Status.ShouldBe(BuildStatus.Running);
        (await _store.ClaimNextAsync(CancellationToken.None)).ShouldBeNull();
        var again = await _store.SubmitAsync(Request(CommitA), null, CancellationToken.None);
        again.Created.ShouldBeTrue();
        again.Build.Id.ShouldNotBe(queued);
    }
}

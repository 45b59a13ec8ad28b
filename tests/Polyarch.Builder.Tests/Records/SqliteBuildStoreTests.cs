using Polyarch.Builder.Builds;

namespace Polyarch.Builder.Tests.Records;

/// <summary>The build-store tests on SQLite (Store:Provider=sqlite, the default).</summary>
public sealed class SqliteBuildStoreTests : BuildStoreTests
{
    protected override Task<IReadOnlyDictionary<string, string?>> StartStoreAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    protected override Task StopStoreAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_running_build_is_not_superseded_and_is_requeued_after_a_crash()
    {
        var first = await Store.SubmitAsync(Request(CommitA), null, CancellationToken.None);
        var claimed = await Store.ClaimNextAsync(CancellationToken.None);
        await Store.SubmitAsync(Request(CommitB), null, CancellationToken.None);

        var requeued = await Store.RequeueRunningAsync(CancellationToken.None);

        claimed!.Id.ShouldBe(first.Build.Id);
        requeued.ShouldBe(1);
        var again = await Store.ClaimNextAsync(CancellationToken.None);
        again!.Id.ShouldBe(first.Build.Id);
        again.Attempts.ShouldBe(2);
    }
}

using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Activations;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Testing.Stores;
using Polyarch.Invoker.Triggers;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Triggers.Tests.Stores;

/// <summary>
/// What every invoker store does for the triggers (rules, pushes, firings), whatever its provider:
/// <see cref="SqliteTriggerStoreTests"/> and <see cref="PostgresTriggerStoreTests"/> run these against a fresh store each.
/// What it does for the core is Polyarch.Invoker.Core.Tests' StoreContractTests.
/// </summary>
public abstract class TriggerStoreContractTests : IAsyncLifetime
{
    internal static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private const string Digest1 = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string Digest2 = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private StoreDatabase? _database;

    /// <summary>A fresh, empty store per test (<see cref="StoreFixture"/>: a temporary SQLite file or a PostgreSQL database of its own).</summary>
    private protected TriggerStoreContractTests(StoreFixture store) => Store = store;

    internal StoreFixture Store { get; }

    internal StoreDatabase Database => _database!;

    public async Task InitializeAsync() => _database = await Store.OpenAsync();

    public async Task DisposeAsync() => await Store.DisposeAsync();

    /// <summary>Another replica on the same store (PostgreSQL); SQLite has one process, so the same store.</summary>
    internal Task<StoreDatabase> ReplicaAsync() => Store.ReplicaAsync();

    [Fact]
    public async Task Rules_PutGetListDelete_RoundTrip()
    {
        var rules = new DbRuleStore(new TriggerDatabase(Database), new FakeTimeProvider(Now));
        var rule = new RuleDefinition { Name = "echo-all", Repository = "demo/echo", Tag = "v*", Platforms = ["all"], Params = new JsonObject { ["x"] = 1 } };

        await rules.PutAsync(rule, CancellationToken.None);
        await rules.PutAsync(rule with { Tag = "latest" }, CancellationToken.None);

        (await rules.GetAsync("echo-all", CancellationToken.None))!.Tag.ShouldBe("latest");
        (await rules.ListAsync(CancellationToken.None)).Single().Params!["x"]!.GetValue<int>().ShouldBe(1);
        (await rules.DeleteAsync("echo-all", CancellationToken.None)).ShouldBeTrue();
        (await rules.GetAsync("echo-all", CancellationToken.None)).ShouldBeNull();
    }

    [Fact]
    public async Task Pushes_TheSamePushTwice_IsStoredOnce_AndAClaimHoldsItUntilItsLeaseExpires()
    {
        var clock = new FakeTimeProvider(Now);
        var pushes = new PushStore(new TriggerDatabase(Database), clock);
        var push = new ImagePush("127.0.0.1:5000", "demo/echo", "v2", Digest.Parse(Digest1), "application/vnd.oci.image.index.v1+json");

        await pushes.AddAsync([push, push], "webhook", CancellationToken.None);
        await pushes.AddAsync([push], "webhook", CancellationToken.None);
        var claimed = await pushes.ClaimAsync(10, CancellationToken.None);
        var other = await ReplicaAsync();
        var otherPushes = new PushStore(new TriggerDatabase(other), clock);
        var whileHeld = await otherPushes.ClaimAsync(10, CancellationToken.None);
        clock.Advance(Database.LeaseDuration + TimeSpan.FromSeconds(1));
        var afterExpiry = await otherPushes.ClaimAsync(10, CancellationToken.None);
        await otherPushes.CompleteAsync(afterExpiry.Single(), CancellationToken.None);

        (await pushes.CountPendingAsync(CancellationToken.None)).ShouldBe(0);
        claimed.Single().Push.Digest.ToString().ShouldBe(Digest1);
        whileHeld.ShouldBeEmpty();
        afterExpiry.Single().Id.ShouldBe(claimed.Single().Id);
        (await pushes.SeenDigestAsync("127.0.0.1:5000", "demo/echo", "v2", CancellationToken.None)).ShouldBe(Digest1);
        (await pushes.ClaimAsync(10, CancellationToken.None)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Pushes_Released_AreClaimableAgainAtOnce_AndAFailedAttemptIsCounted()
    {
        var clock = new FakeTimeProvider(Now);
        var pushes = new PushStore(new TriggerDatabase(Database), clock);
        var other = new PushStore(new TriggerDatabase(await ReplicaAsync()), clock);
        await pushes.AddAsync([new ImagePush("r", "a", "t", Digest.Parse(Digest1), "m")], "webhook", CancellationToken.None);

        var first = (await pushes.ClaimAsync(1, CancellationToken.None)).Single();
        await pushes.ReleaseAsync(first, CancellationToken.None);
        var second = (await other.ClaimAsync(1, CancellationToken.None)).Single();
        await other.FailAttemptAsync(second, "registry away", giveUp: false, CancellationToken.None);
        var third = (await pushes.ClaimAsync(1, CancellationToken.None)).Single();

        third.Attempts.ShouldBe(1);
        (await pushes.PendingAsync(10, CancellationToken.None)).Single().Id.ShouldBe(first.Id);
    }

    [Fact]
    public async Task Firings_AreStoredOncePerRuleAndDigest_AndTakenOverOnlyAfterTheirLeaseExpired()
    {
        var clock = new FakeTimeProvider(Now);
        var firings = new FiringStore(new TriggerDatabase(Database), clock);
        var other = new FiringStore(new TriggerDatabase(await ReplicaAsync()), clock);
        var firing = new Firing("echo-all", "127.0.0.1:5000/demo/echo", Digest1, "t", new JsonObject { ["x"] = 1 }, [new FiringActivation("linux/amd64", ActivationId.New())]);

        (await firings.TryAddAsync(firing, 1, CancellationToken.None)).ShouldBeTrue();
        (await other.TryAddAsync(firing with { Activations = [new FiringActivation("linux/amd64", ActivationId.New())] }, 1, CancellationToken.None)).ShouldBeFalse();
        (await firings.TryAddAsync(firing with { Digest = Digest2 }, 2, CancellationToken.None)).ShouldBeTrue();
        (await other.ClaimAsync(all: false, CancellationToken.None)).ShouldBeEmpty();
        clock.Advance(Database.LeaseDuration / 2);
        await firings.RenewAsync(firing, CancellationToken.None);
        clock.Advance(Database.LeaseDuration / 2 + TimeSpan.FromSeconds(1));
        var takenOver = await other.ClaimAsync(all: false, CancellationToken.None);
        await other.CompleteAsync(takenOver.Single(), CancellationToken.None);
        clock.Advance(Database.LeaseDuration * 2);

        takenOver.Single().Digest.ShouldBe(Digest2);
        (await other.ClaimAsync(all: false, CancellationToken.None)).Single().Activations.ShouldBe(firing.Activations);
        (await firings.PendingAsync(CancellationToken.None)).Single().Digest.ShouldBe(Digest1);
        (await firings.ExistsAsync("echo-all", "127.0.0.1:5000/demo/echo", Digest2, CancellationToken.None)).ShouldBeTrue();
    }
}

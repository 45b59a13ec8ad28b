using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Testing.Stores;
using Polyarch.Registry.Notifications;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Triggers.Tests.Stores;

/// <summary>
/// The triggers' store contract on the host's PostgreSQL (scripts/postgres.sh), a database of its own per test, plus what
/// only a shared store does for them: replicas claim side by side and one reconciler holds the lock.
/// </summary>
[Trait("Category", "Integration")]
public sealed class PostgresTriggerStoreTests : TriggerStoreContractTests
{
    public PostgresTriggerStoreTests()
        : base(StoreFixture.Postgres())
    {
    }

    [Fact]
    public async Task Only_one_replicas_reconciler_holds_the_lock_and_another_takes_it_when_it_steps_down()
    {
        Reconciler ReconcilerOn(StoreDatabase store)
        {
            var triggers = new TriggerDatabase(store);
            return new Reconciler(
                new DbRuleStore(triggers, TimeProvider.System), new PushStore(triggers, TimeProvider.System), triggers,
                null!, new TriggerSignal(), Options.Create(new TriggerOptions()),
                TimeProvider.System, NullLogger<Reconciler>.Instance);
        }

        using var first = ReconcilerOn(Database);
        using var second = ReconcilerOn(await ReplicaAsync());

        var firstLeads = await first.TryLeadAsync(CancellationToken.None);
        var secondLeads = await second.TryLeadAsync(CancellationToken.None);
        var firstStillLeads = await first.TryLeadAsync(CancellationToken.None);
        await first.StepDownAsync();
        var secondLeadsNow = await second.TryLeadAsync(CancellationToken.None);
        var firstAgain = await first.TryLeadAsync(CancellationToken.None);
        await second.StepDownAsync();

        firstLeads.ShouldBeTrue();
        secondLeads.ShouldBeFalse();
        firstStillLeads.ShouldBeTrue();
        secondLeadsNow.ShouldBeTrue();
        firstAgain.ShouldBeFalse();
    }

    [Fact]
    public async Task Two_replicas_claiming_at_once_never_get_the_same_push()
    {
        var pushes = new PushStore(new TriggerDatabase(Database), TimeProvider.System);
        var other = new PushStore(new TriggerDatabase(await ReplicaAsync()), TimeProvider.System);
        await pushes.AddAsync(
            [.. Enumerable.Range(0, 60).Select(i => new ImagePush(
                "r", "a", $"t{i}", Digest.Parse($"sha256:{i:x64}"), "m"))],
            "webhook", CancellationToken.None);

        // The replicas claim in lock-step: each round both ask at the same moment (a barrier), so their claims overlap on
        // every round rather than whenever the scheduler lets the second start (one replica alone could otherwise take all
        // 60 before the other's first query and the test would prove nothing about two at once).
        using var together = new Barrier(2);

        List<long> ClaimAll(PushStore store)
        {
            var ids = new List<long>();
            try
            {
                while (true)
                {
                    together.SignalAndWait(TimeSpan.FromSeconds(30)).ShouldBeTrue("the other replica never reached the round");
                    var claimed = store.ClaimAsync(3, CancellationToken.None).GetAwaiter().GetResult();
                    if (claimed.Count == 0)
                    {
                        return ids;
                    }

                    ids.AddRange(claimed.Select(p => p.Id));
                }
            }
            finally
            {
                together.RemoveParticipant();
            }
        }

        var claims = await Task.WhenAll(
            Task.Factory.StartNew(() => ClaimAll(pushes), TaskCreationOptions.LongRunning),
            Task.Factory.StartNew(() => ClaimAll(other), TaskCreationOptions.LongRunning));

        claims.SelectMany(c => c).Order().ShouldBe(Enumerable.Range(1, 60).Select(i => (long)i));
        claims.ShouldAllBe(c => c.Count > 0);
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polyarch.Invoker.Rules;
using Polyarch.Invoker.State;
using Polyarch.Invoker.Triggers;

namespace Polyarch.Invoker.Triggers.Tests.Triggers;

/// <summary>Rules stored before validation was strict: reconciliation says so in one line per rule, with no stack trace.</summary>
public sealed class InvalidStoredRuleTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("invoker-badrule-").FullName;
    private readonly InvokerDatabase _database;
    private readonly TriggerDatabase _triggers;

    public InvalidStoredRuleTests()
    {
        _database = new InvokerDatabase(Path.Combine(_dir, "invoker.db"));
        _triggers = new TriggerDatabase(_database);
    }

    public void Dispose()
    {
        _database.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("UPPER/Case", "all")]
    [InlineData("127.0.0.1:5000/a..b", "all")]
    [InlineData("../../etc/passwd", "all")]
    [InlineData("demo/echo", "linux/arm64/v99")]
    public async Task Reconcile_StoredInvalidRule_LogsOneWarningLinePerPass_WithoutAStackTrace(string repository, string platform)
    {
        var time = new FakeTimeProvider();
        var rules = new DbRuleStore(_triggers, time);
        // Stored directly, as an older invoker that did not check these could have stored it.
        await rules.PutAsync(new RuleDefinition { Name = "old-bad-rule", Repository = repository, Platforms = [platform] }, CancellationToken.None);
        var logger = new FakeLogger<Reconciler>();
        // Nothing may reach the registry for an invalid rule: there is none (a null client would throw).
        var reconciler = new Reconciler(rules, new PushStore(_triggers, time), _triggers, null!, new TriggerSignal(), Options.Create(new TriggerOptions()), time, logger);

        (await reconciler.ReconcileAsync(CancellationToken.None)).ShouldBe(0);
        (await reconciler.ReconcileAsync(CancellationToken.None)).ShouldBe(0);

        var records = logger.Collector.GetSnapshot();
        records.Count.ShouldBe(2, string.Join("\n", records.Select(r => r.Message)));
        records.ShouldAllBe(r => r.Level == LogLevel.Warning && r.Exception == null && r.Id.Id == 7304);
        records[0].Message.ShouldContain("old-bad-rule");
        records[0].Message.ShouldContain(repository == "demo/echo" ? "linux/arm64/v99" : repository);
        records[0].Message.ShouldNotContain("\n");
    }
}

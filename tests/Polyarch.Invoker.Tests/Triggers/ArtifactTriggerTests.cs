using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Polyarch.Invoker.Triggers;
using Polyarch.Invoker.Workflows;
using Polyarch.Registry;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Testing;

namespace Polyarch.Invoker.Tests.Triggers;

/// <summary>
/// Rules that start workflows on artifact pushes, with the real registry and the registry's real notification burst
/// of an OCI 1.1 artifact push; the workflow engine is a recording fake of <see cref="IWorkflowStarter"/>.
/// </summary>
[Collection(TriggersCollection.Name)]
[Trait("Category", "Integration")]
public sealed class ArtifactTriggerTests(TriggersFixture fixture) : IAsyncLifetime
{
    private readonly TriggerTestHost _host = new(fixture, "art");
    private readonly string _repository = $"demo/digits-{Guid.NewGuid().ToString("N")[..8]}";

    public Task InitializeAsync() => ContainerHost.EnsureUpAsync();

    public Task DisposeAsync() => _host.CleanUpAsync();

    [Fact]
    public async Task ArtifactPushBurst_StartsTheWorkflowExactlyOnce_AndReplaysAndARestartStartNothing()
    {
        var workflows = new RecordingWorkflowStarter("retrain");
        Pushed pushed;
        await using (var server = await StartAsync(workflows))
        {
            await server.PutRuleAsync("retrain-on-data", new { repository = _repository, artifactType = ArtifactBurst.DatasetType, workflow = "retrain", @params = new { threshold = 0.9 } });
            pushed = await PushArtifactsAsync(server);
            var burst = Burst(pushed);

            await server.PostAllAsync(burst);
            await server.WaitUntilQuietAsync();

            var request = workflows.Requests.ShouldHaveSingleItem();
            request.Workflow.ShouldBe("retrain");
            request.Params["threshold"]!.GetValue<double>().ShouldBe(0.9);
            var trigger = request.Trigger.ShouldNotBeNull();
            trigger.Kind.ShouldBe(WorkflowTrigger.ArtifactKind);
            trigger.Rule.ShouldBe("retrain-on-data");
            trigger.Registry.ShouldBe(fixture.Registry);
            trigger.Repository.ShouldBe(_repository);
            trigger.Tag.ShouldBe("batch-1");
            trigger.Digest.ShouldBe(pushed.Dataset.Digest.ToString());
            trigger.MediaType.ShouldBe(MediaTypes.OciManifest);
            trigger.Size.ShouldBe(pushed.Dataset.Descriptor.Size);
            trigger.ArtifactType.ShouldBe(ArtifactBurst.DatasetType);
            trigger.ScheduledAt.ShouldBeNull();
            request.IdempotencyKey.ShouldBe($"rule:retrain-on-data:{fixture.Registry}/{_repository}@{pushed.Dataset.Digest}");

            // The referrers tag schema index is bookkeeping, not a push: it is not even stored.
            var stored = await server.Services.GetRequiredService<PushStore>().ListAsync(100, CancellationToken.None);
            stored.Select(p => p.Push.Tag).Order().ShouldBe(["batch-1", "run-1-train-amd64"]);
            stored.ShouldAllBe(p => p.ConfigMediaType == MediaTypes.OciEmpty);

            // The registry re-delivers (its queue retries) and a replay posts the same burst again: no second start.
            await server.PostAllAsync(burst);
            await server.PostAllAsync(burst);
            await server.WaitUntilQuietAsync();
            workflows.Requests.Count.ShouldBe(1);
            (await server.FiringsAsync()).ShouldHaveSingleItem().Workflow.ShouldBe("retrain");
        }

        // After a restart on the same store, the same burst still starts nothing.
        var afterRestart = new RecordingWorkflowStarter("retrain");
        await using (var server = await StartAsync(afterRestart))
        {
            await server.PostAllAsync(Burst(pushed));
            await server.WaitUntilQuietAsync();
            afterRestart.Requests.ShouldBeEmpty();
        }
    }

    [Fact]
    public async Task ImagePush_FiresOnlyTheImageRule_AndArtifactPush_OnlyTheArtifactRuleOfItsType()
    {
        var workflows = new RecordingWorkflowStarter("on-image", "on-data", "on-model");
        await using var server = await StartAsync(workflows);
        await server.PutRuleAsync("image-rule", new { repository = "**", workflow = "on-image" });
        await server.PutRuleAsync("data-rule", new { repository = "**", artifactType = ArtifactBurst.DatasetType, workflow = "on-data" });
        await server.PutRuleAsync("model-rule", new { repository = "demo/elsewhere", artifactType = ArtifactBurst.StepResultType, workflow = "on-model" });
        var pushed = await PushArtifactsAsync(server);
        var indexDigest = await _host.TagEchoAsync("v2");

        await server.PostAllAsync([.. NotificationBurst.Envelopes(fixture.Registry, indexDigest), .. Burst(pushed)]);
        await server.WaitUntilQuietAsync();

        var byWorkflow = workflows.Requests.ToDictionary(r => r.Workflow);
        byWorkflow.Keys.Order().ShouldBe(["on-data", "on-image"]);
        byWorkflow["on-image"].Trigger!.Kind.ShouldBe(WorkflowTrigger.PushKind);
        byWorkflow["on-image"].Trigger!.Repository.ShouldBe("demo/echo");
        byWorkflow["on-image"].Trigger!.Digest.ShouldBe(indexDigest);
        byWorkflow["on-image"].Trigger!.ArtifactType.ShouldBeNull();
        byWorkflow["on-data"].Trigger!.Kind.ShouldBe(WorkflowTrigger.ArtifactKind);
        byWorkflow["on-data"].Trigger!.Digest.ShouldBe(pushed.Dataset.Digest.ToString());
    }

    [Fact]
    public async Task Reconciler_SkipsReferrersTags_AndFindsMissedArtifactsAsArtifactPushes_ThatFireOnce()
    {
        var workflows = new RecordingWorkflowStarter("retrain");
        await using var server = await StartAsync(workflows, processPushes: false);
        await server.PutRuleAsync("retrain-on-data", new { repository = _repository, artifactType = ArtifactBurst.DatasetType, workflow = "retrain" });
        var pushed = await PushArtifactsAsync(server);

        // No notification: the reconciler finds what was pushed since the rule was made.
        var found = await server.Services.GetRequiredService<Reconciler>().ReconcileAsync(CancellationToken.None);

        found.ShouldBe(2, "batch-1 and run-1-train-amd64; the referrers index sha256-… is not a push");
        var stored = await server.Services.GetRequiredService<PushStore>().ListAsync(100, CancellationToken.None);
        stored.ShouldAllBe(p => p.ConfigMediaType == MediaTypes.OciEmpty && p.Source == "reconcile");
        stored.ShouldNotContain(p => ReferrersTag.IsReferrersTag(p.Push.Tag));

        await server.Services.GetRequiredService<PushProcessor>().ProcessPendingAsync(CancellationToken.None);
        await server.Services.GetRequiredService<FiringRunner>().WhenIdleAsync();
        (await server.Services.GetRequiredService<Reconciler>().ReconcileAsync(CancellationToken.None)).ShouldBe(0);
        var request = workflows.Requests.ShouldHaveSingleItem();
        request.Trigger!.Digest.ShouldBe(pushed.Dataset.Digest.ToString());
        request.Trigger.ArtifactType.ShouldBe(ArtifactBurst.DatasetType);
    }

    [Fact]
    public async Task ArtifactRuleWithAnAction_RunsItOnThePlatformsOfTheActionsImage_WithTheArtifactAsParams()
    {
        await using var server = await StartAsync(new RecordingWorkflowStarter());
        var action = await server.Http.PutAsJsonAsync("/v1/actions/echo-data", new { image = fixture.EchoImage });
        action.StatusCode.ShouldBe(HttpStatusCode.OK, await action.Content.ReadAsStringAsync());
        await server.PutRuleAsync("echo-on-data", new { repository = _repository, tag = "batch-*", artifactType = ArtifactBurst.DatasetType, action = "echo-data", platforms = new[] { "linux/amd64", "linux/arm64" } });
        var pushed = await PushArtifactsAsync(server);

        await server.PostAllAsync(Burst(pushed));
        await server.WaitUntilQuietAsync();

        var activations = await server.ActivationsAsync();
        activations.Select(a => a.Platform).Order().ShouldBe(["linux/amd64", "linux/arm64"]);
        activations.ShouldAllBe(a => a.Status == "success");
        var echoed = activations[0].Result!["params"]!;
        echoed["trigger"]!.GetValue<string>().ShouldBe("artifact");
        echoed["repository"]!.GetValue<string>().ShouldBe(_repository);
        echoed["tag"]!.GetValue<string>().ShouldBe("batch-1");
        echoed["digest"]!.GetValue<string>().ShouldBe(pushed.Dataset.Digest.ToString());
        echoed["artifactType"]!.GetValue<string>().ShouldBe(ArtifactBurst.DatasetType);
        (await server.FiringsAsync()).ShouldHaveSingleItem().Rule.ShouldBe("echo-on-data");
    }

    private Task<TriggerServer> StartAsync(RecordingWorkflowStarter workflows, bool processPushes = true) =>
        _host.StartAsync(processPushes, services => services.AddSingleton<IWorkflowStarter>(workflows));

    private sealed record Pushed(PushedArtifact Dataset, PushedArtifact Result);

    /// <summary>What the recorded burst pushed, pushed for real: a dataset, a step result with it as subject (and so the referrers index).</summary>
    private async Task<Pushed> PushArtifactsAsync(TriggerServer server)
    {
        var store = server.Services.GetRequiredService<IArtifactStore>();
        var target = ImageReference.Parse($"{fixture.Registry}/{_repository}:batch-1");
        var dataset = await store.PushAsync(target, new ArtifactSpec
        {
            ArtifactType = ArtifactBurst.DatasetType,
            Files = [ArtifactFile.FromBytes("batch-1.csv", "pixel0,pixel1,label\n0,16,3\n"u8.ToArray()) with { MediaType = "text/csv" }],
        });
        var result = await store.PushAsync(target.WithTag("run-1-train-amd64"), new ArtifactSpec
        {
            ArtifactType = ArtifactBurst.StepResultType,
            Files = [ArtifactFile.FromBytes("model.pkl", "not really a pickled model"u8.ToArray())],
            Subject = dataset.Reference,
        });
        result.ReferrersIndexDigest.ShouldNotBeNull("distribution 2.8 has no referrers API: the push maintains the referrers tag schema index");
        return new Pushed(dataset, result);
    }

    private IReadOnlyList<string> Burst(Pushed pushed) =>
        ArtifactBurst.Envelopes(fixture.Registry, _repository, pushed.Dataset.Digest.Hex, pushed.Result.Digest.Hex, pushed.Result.ReferrersIndexDigest!.Hex);
}

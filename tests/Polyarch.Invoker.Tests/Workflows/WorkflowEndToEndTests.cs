using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CliWrap;
using CliWrap.Buffered;
using Polyarch.Invoker.Workflows;
using Polyarch.Registry.Manifests;
using Polyarch.Registry.References;
using Polyarch.Registry.Tests.Oci;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>
/// Issue 14 items 1–3 end to end on the real engine (QEMU for arm64/ppc64le) and registry: a 3-step workflow with a
/// fan-out, files from the trigger artifact and between steps, step artifacts as OCI 1.1 manifests with the trigger as
/// subject, read back with skopeo and through the referrers tag schema.
/// </summary>
[Collection(WorkflowsCollection.Name)]
[Trait("Category", "Integration")]
public sealed class WorkflowEndToEndTests(WorkflowsFixture fixture)
{
    [Fact]
    public async Task A_three_step_workflow_with_a_fan_out_runs_end_to_end_and_leaves_traceable_artifacts()
    {
        var state = WorkflowSetup.NewStateDirectory();
        await using var host = new WorkflowHost(state);
        await WorkflowSetup.ActionsAsync(host, fixture, "wf-step");
        var (trigger, dataset) = await WorkflowSetup.DatasetAsync(host, fixture, "datasets/e2e");
        var results = $"{fixture.Registry}/workflows/e2e";
        await WorkflowSetup.DefineAsync(host, $$"""
            name: e2e
            results: {{results}}
            params: { threshold: 0.5 }
            steps:
              - name: produce
                action: wf-step
                params: { dataset: "${trigger.digest}" }
                files: [trigger]
              - name: test
                action: wf-step
                needs: [produce]
                platforms: all
                params: { model: "${steps.produce.artifact}", threshold: "${params.threshold}", label: "model ${steps.produce.files}" }
                files: [steps.produce/out.txt]
              - name: decide
                action: wf-echo
                needs: [test]
                params: { results: "${steps.test.result}", files: "${steps.test.files}" }
            result: "${steps.decide.result.params.results}"
            """);

        var start = await host.Engine.StartAsync(new WorkflowStartRequest("e2e", new JsonObject { ["threshold"] = 0.75 }, trigger, "e2e-1"), CancellationToken.None);
        var run = await host.Engine.WaitAsync(start.RunId, CancellationToken.None);

        run.Status.ShouldBe(WorkflowRunStatus.Succeeded, run.Reason);
        run.Steps.Select(s => (s.Name, s.Status)).ShouldBe([("produce", "succeeded"), ("test", "succeeded"), ("decide", "succeeded")]);
        run.Params["threshold"]!.GetValue<double>().ShouldBe(0.75);

        // produce: placed by the placement (one run), got the trigger's file in its params.
        var produce = run.Step("produce").Runs.ShouldHaveSingleItem();
        produce.Platform.ShouldNotBeNull();
        var producedOn = produce.Result!["arch"]!.GetValue<string>();
        var produceInput = produce.Result!["body"]!["value"]!;
        produceInput["dataset"]!.GetValue<string>().ShouldBe(trigger.Digest);
        Encoding.UTF8.GetString(Convert.FromBase64String(produceInput["polyarch:files"]!["data.csv"]!.GetValue<string>())).ShouldBe(dataset);
        produce.Result!.AsObject().ContainsKey("polyarch:files").ShouldBeFalse();
        produce.Artifact.ShouldNotBeNull().Files.ShouldHaveSingleItem().Name.ShouldBe("out.txt");

        // test: one run per platform of the image, each with produce's file and its own artifact.
        var test = run.Step("test").Runs;
        test.Select(r => r.Platform).ShouldBe(["linux/amd64", "linux/arm64", "linux/ppc64le"], ignoreOrder: true);
        foreach (var entry in test)
        {
            entry.Status.ShouldBe(WorkflowRunStatus.Succeeded);
            entry.Attempt.ShouldBe(1);
            entry.ActivationId.ShouldNotBeNull();
            var value = entry.Result!["body"]!["value"]!;
            value["model"]!.GetValue<string>().ShouldBe(produce.Artifact!.Reference);
            value["threshold"]!.GetValue<double>().ShouldBe(0.75);
            value["label"]!.GetValue<string>().ShouldBe("model [\"out.txt\"]");
            Encoding.UTF8.GetString(Convert.FromBase64String(value["polyarch:files"]!["out.txt"]!.GetValue<string>())).ShouldBe($"made on {producedOn}");
            entry.Artifact.ShouldNotBeNull().Tag.ShouldBe($"{run.Id}-test-{entry.Platform!.Split('/')[1]}");
            (await host.Activations.GetAsync(entry.ActivationId!, CancellationToken.None)).ShouldNotBeNull().Platform.ShouldBe(entry.Platform);
        }

        // decide: after the fan-out, results keyed by platform; the run's result is what decide answered.
        var decided = run.Step("decide").Runs.ShouldHaveSingleItem().Result!["params"]!;
        decided["results"]!.AsObject().Select(kv => (kv.Key, kv.Value!["arch"]!.GetValue<string>()))
            .ShouldBe([("linux/amd64", "x86_64"), ("linux/arm64", "aarch64"), ("linux/ppc64le", "ppc64le")], ignoreOrder: true);
        decided["files"]!["linux/arm64"]!.ToJsonString().ShouldBe("[\"out.txt\"]");
        run.Step("decide").Runs[0].Artifact.ShouldBeNull(); // echo saves no files: no artifact
        run.Result!.ToJsonString().ShouldBe(decided["results"]!.ToJsonString());

        // Every artifact: an OCI 1.1 image manifest by the schema, the step-result type, the empty config, one titled
        // layer per file, the annotations, and the dataset as subject (copied into the results repository).
        var produced = test.Select(r => (Step: "test", Entry: r)).Append((Step: "produce", Entry: produce)).ToList();
        var artifacts = produced.Select(p => p.Entry.Artifact!).ToList();
        foreach (var (step, entry) in produced)
        {
            var artifact = entry.Artifact!;
            artifact.Reference.ShouldBe($"{ImageReference.Parse(artifact.Reference).RepositoryName}@{artifact.Digest}", "pinned by digest, no made-up :latest");
            var document = (await host.Registry.GetManifestAsync(ImageReference.Parse(artifact.Reference))).ShouldNotBeNull();
            OciSchemaValidator.ValidateManifest(document.Content.Span).ShouldBeEmpty();
            var manifest = document.Manifest.ShouldNotBeNull();
            manifest.MediaType.ShouldBe(MediaTypes.OciManifest);
            manifest.ArtifactType.ShouldBe(StepArtifacts.ArtifactType);
            manifest.Config.MediaType.ShouldBe(MediaTypes.OciEmpty);
            manifest.Layers.ShouldHaveSingleItem().Title.ShouldBe("out.txt");
            manifest.Layers[0].Digest.ToString().ShouldBe(artifact.Files[0].Digest);
            manifest.Subject.ShouldNotBeNull().Digest.ToString().ShouldBe(trigger.Digest);
            manifest.Subject.MediaType.ShouldBe(trigger.MediaType);
            manifest.Subject.Size.ShouldBe(trigger.Size!.Value);
            var annotations = manifest.Annotations.ShouldNotBeNull();
            annotations["io.polyarch.workflow"].ShouldBe("e2e");
            annotations["io.polyarch.run"].ShouldBe(run.Id);
            annotations["io.polyarch.step"].ShouldBe(step);
            annotations["io.polyarch.activation"].ShouldBe(entry.ActivationId);
            annotations["io.polyarch.platform"].ShouldBe(entry.Platform);

            // skopeo reads the tag and gets the same bytes.
            var raw = await Cli.Wrap("/usr/bin/skopeo").WithArguments(["inspect", "--raw", "--tls-verify=false", $"docker://{results}:{artifact.Tag}"]).ExecuteBufferedAsync();
            ("sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(raw.StandardOutput)))).ShouldBe(artifact.Digest);
        }

        // The file a test step made is what its arch wrote.
        var arm = test.Single(r => r.Platform == "linux/arm64").Artifact!;
        var pulled = Directory.CreateTempSubdirectory("wf-pull-").FullName;
        await host.Artifacts.PullAsync(ImageReference.Parse(arm.Reference), pulled);
        (await File.ReadAllTextAsync(Path.Combine(pulled, "out.txt"))).ShouldBe("made on aarch64");

        // Lineage: the dataset's referrers in the results repository are the four step artifacts, and the referrers
        // tag schema index (distribution 2.8 has no referrers API) lists them and validates as an OCI index.
        var subject = ImageReference.Parse($"{results}@{trigger.Digest}");
        var referrers = await host.Artifacts.ListReferrersAsync(subject, StepArtifacts.ArtifactType);
        referrers.Select(d => d.Digest.ToString()).ShouldBe(artifacts.Select(a => a.Digest), ignoreOrder: true);
        var fallback = (await host.Registry.GetManifestAsync(ImageReference.Parse($"{results}:{trigger.Digest!.Replace(':', '-')}"))).ShouldNotBeNull();
        OciSchemaValidator.ValidateIndex(fallback.Content.Span).ShouldBeEmpty();
        fallback.Index.ShouldNotBeNull().Manifests.Select(m => m.Digest.ToString()).ShouldBe(artifacts.Select(a => a.Digest), ignoreOrder: true);

        // Idempotent start: the same key is the same run.
        var again = await host.Engine.StartAsync(new WorkflowStartRequest("e2e", [], trigger, "e2e-1"), CancellationToken.None);
        again.ShouldBe(new WorkflowRunStart(run.Id, false));
    }
}

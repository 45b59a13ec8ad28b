using System.Text;
using Polyarch.Invoker.Actions;
using Polyarch.Invoker.Workflows;
using Polyarch.Registry.Artifacts;
using Polyarch.Registry.References;

namespace Polyarch.Invoker.Tests.Workflows;

/// <summary>What the workflow tests set up: actions, a dataset artifact as the trigger, a definition from YAML.</summary>
internal static class WorkflowSetup
{
    public const string DatasetType = "application/vnd.polyarch.dataset.v1";

    public static async Task ActionsAsync(WorkflowHost host, WorkflowsFixture fixture, params string[] stepActions)
    {
        foreach (var name in stepActions)
        {
            await host.Actions.PutAsync(new ActionDefinition { Name = name, Image = fixture.StepImage, MemoryMb = 64, TimeoutMs = 120_000 }, CancellationToken.None);
        }

        await host.Actions.PutAsync(new ActionDefinition { Name = "wf-echo", Image = fixture.EchoImage, MemoryMb = 64 }, CancellationToken.None);
    }

    /// <summary>Pushes a dataset artifact (one file, data.csv) and returns the trigger an artifact push of it makes.</summary>
    public static async Task<(WorkflowTrigger Trigger, string Content)> DatasetAsync(WorkflowHost host, WorkflowsFixture fixture, string repository)
    {
        var content = $"x,y\n1,{Guid.NewGuid():N}\n";
        var reference = ImageReference.Parse($"{fixture.Registry}/{repository}:batch1");
        var pushed = await host.Artifacts.PushAsync(reference, new ArtifactSpec
        {
            ArtifactType = DatasetType,
            Files = [ArtifactFile.FromBytes("data.csv", Encoding.UTF8.GetBytes(content))],
        });
        var trigger = new WorkflowTrigger(
            WorkflowTrigger.ArtifactKind, Rule: "test", Registry: fixture.Registry, Repository: repository, Tag: "batch1",
            Digest: pushed.Digest.ToString(), MediaType: pushed.Descriptor.MediaType, Size: pushed.Descriptor.Size, ArtifactType: DatasetType);
        return (trigger, content);
    }

    public static async Task<WorkflowDefinition> DefineAsync(WorkflowHost host, string yaml)
    {
        var workflow = WorkflowDefinitionReader.Read(yaml, null, "test.yaml");
        return await host.Engine.PutAsync(workflow, CancellationToken.None);
    }

    public static string NewStateDirectory() => Directory.CreateTempSubdirectory("workflow-state-").FullName;
}

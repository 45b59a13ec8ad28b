namespace Polyarch.Invoker.Workflows;

/// <summary>A step's output files as one OCI artifact: pinned reference, digest, tag and the files it holds.</summary>
internal sealed record WorkflowArtifact(string Reference, string Digest, string Tag, IReadOnlyList<WorkflowFile> Files);

namespace Polyarch.Invoker.Workflows;

/// <summary>One file of a step's artifact (a layer titled <see cref="Name"/>).</summary>
internal sealed record WorkflowFile(string Name, long Size, string Digest);

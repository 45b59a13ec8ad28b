namespace Polyarch.Invoker.Workflows;

/// <summary>The built-in <c>tag</c> step: gives the artifact <see cref="Artifact"/> (a reference) the tag <see cref="As"/> in the results repository.</summary>
internal sealed record WorkflowTagDefinition
{
    public string Artifact { get; init; } = "";

    public string As { get; init; } = "";
}

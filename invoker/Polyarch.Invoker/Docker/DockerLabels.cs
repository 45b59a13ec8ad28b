namespace Polyarch.Invoker.Docker;

/// <summary>The labels every container Polyarch starts carries (conventions.md); clean-up is by these.</summary>
internal static class DockerLabels
{
    public const string Managed = "io.polyarch.managed";
    public const string Instance = "io.polyarch.instance";
    public const string Action = "io.polyarch.action";
    public const string Activation = "io.polyarch.activation";
    public const string Protocol = "io.polyarch.action.protocol";
    public const string Port = "io.polyarch.action.port";
}

namespace Polyarch.Builder.Definition;

/// <summary>One bake target and the registry repository its index goes to.</summary>
public sealed record BuildTarget(string Name, string Repository);

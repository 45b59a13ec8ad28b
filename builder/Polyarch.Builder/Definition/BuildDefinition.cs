namespace Polyarch.Builder.Definition;

/// <summary>What bake builds for a checkout: the definition files (none = bake's defaults in the checkout) and targets.</summary>
/// <param name="Files">Bake files passed with <c>-f</c>; empty when the checkout's own docker-bake file is used.</param>
/// <param name="Targets">The targets built, each with its registry repository.</param>
/// <param name="FromBakeFile">Whether the repository had its own bake file (else its root Dockerfile is the one target).</param>
public sealed record BuildDefinition(IReadOnlyList<string> Files, IReadOnlyList<BuildTarget> Targets, bool FromBakeFile);

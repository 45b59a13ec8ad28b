using Polyarch.Invoker.Images;

namespace Polyarch.Invoker.Placement;

/// <summary>The variant chosen, the backend platform that runs it (emulated or not) and the effective needs.</summary>
internal sealed record PlacementDecision(VariantInfo Variant, BackendPlatform Platform, Requirements Requirements);

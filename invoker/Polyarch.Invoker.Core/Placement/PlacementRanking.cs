namespace Polyarch.Invoker.Placement;

/// <summary>The candidates that fit, best first, and the why-not of those that do not (text and table).</summary>
internal sealed record PlacementRanking(IReadOnlyList<PlacementDecision> Decisions, IReadOnlyList<string> Failures, IReadOnlyList<CandidateVerdict> Excluded);

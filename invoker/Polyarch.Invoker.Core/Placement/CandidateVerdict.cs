namespace Polyarch.Invoker.Placement;

/// <summary>
/// One row of the why-not table: a candidate — a variant of the image on a target (an engine platform, native or
/// emulated, on Docker; a node on Kubernetes) — and why it was not taken.
/// </summary>
/// <param name="Variant">The variant's platform, e.g. linux/arm64.</param>
/// <param name="Target">Where it would have run: "linux/arm64 (emulated)" on Docker, a node's name on Kubernetes, "-" when nothing can.</param>
/// <param name="Reason">Why not, e.g. "not enough memory (needs 4Gi, allocatable 2Gi)".</param>
public sealed record CandidateVerdict(string Variant, string Target, string Reason);

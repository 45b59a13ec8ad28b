using Polyarch.Invoker.Placement;

namespace Polyarch.Invoker.Kubernetes.Placement;

/// <summary>The image has no variant the action may run (before any node is considered).</summary>
public sealed class PlacementFailedException(string message) : PlacementException(message, [], [], [message]);

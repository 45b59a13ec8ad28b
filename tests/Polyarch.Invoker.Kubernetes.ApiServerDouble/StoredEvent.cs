namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>An event in the double's history (what a watch from an older resourceVersion replays).</summary>
internal sealed record StoredEvent(long ResourceVersion, string Kind, string Type, object Object, string Line);

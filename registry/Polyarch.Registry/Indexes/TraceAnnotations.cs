namespace Polyarch.Registry.Indexes;

/// <summary>
/// The trace context an index carries so that whoever reacts to its push joins the trace of the build that made it
/// (the registry sits between builder and invoker and passes no headers on): a W3C traceparent
/// (<c>00-&lt;trace-id&gt;-&lt;span-id&gt;-&lt;flags&gt;</c>) in the index's own annotations.
/// </summary>
public static class TraceAnnotations
{
    /// <summary>The index annotation holding the build's W3C traceparent.</summary>
    public const string TraceParent = "io.polyarch.trace-parent";
}

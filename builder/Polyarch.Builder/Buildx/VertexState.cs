using System.Text;

namespace Polyarch.Builder.Buildx;

/// <summary>One BuildKit vertex (a step) as seen in the rawjson stream.</summary>
internal sealed class VertexState(string digest)
{
    public string Digest { get; } = digest;

    public string Name { get; set; } = "";

    public string? Platform { get; set; }

    public DateTimeOffset? Started { get; set; }

    public DateTimeOffset? Completed { get; set; }

    public bool Cached { get; set; }

    public string? Error { get; set; }

    public StringBuilder Log { get; } = new();
}

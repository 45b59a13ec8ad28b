using System.Net;
using System.Text.Json.Nodes;

namespace Polyarch.Runtimes.Tests;

/// <summary>What the action proxy answered: the status and the JSON body.</summary>
internal sealed record ProxyResponse(HttpStatusCode Status, JsonNode? Body)
{
    /// <summary>The <c>error</c> field of the body, or empty.</summary>
    public string Error => Body?["error"]?.GetValue<string>() ?? "";

    /// <inheritdoc />
    public override string ToString() => $"{(int)Status} {Body?.ToJsonString()}";
}

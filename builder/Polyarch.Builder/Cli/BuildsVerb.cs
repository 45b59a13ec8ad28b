namespace Polyarch.Builder.Cli;

/// <summary>The verbs of <c>polyarch-builder builds</c>.</summary>
internal enum BuildsVerb
{
    List,
    Get,
    Logs,
    Cancel,
}

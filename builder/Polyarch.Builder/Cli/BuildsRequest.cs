namespace Polyarch.Builder.Cli;

/// <summary>What a <c>builds</c> verb was given.</summary>
internal sealed record BuildsRequest(
    BuildsVerb Verb,
    string? Id,
    int Limit,
    string? Platform,
    string? Url,
    string? ApiKeyFile,
    OutputFormat Format,
    bool Verbose);

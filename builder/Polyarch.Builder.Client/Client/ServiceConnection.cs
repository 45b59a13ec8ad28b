namespace Polyarch.Builder.Client;

/// <summary>A running polyarch-builder service a CLI talks to: its URL, the API key sent (if any), and whether the user named it.</summary>
internal sealed record ServiceConnection(Uri Url, string? ApiKey, bool Explicit)
{
    /// <summary>Where <see cref="ApiKey"/> came from (a key file, Service:ApiKey, or none), named when the service refuses it.</summary>
    public string KeySource { get; init; } = "no key";

    /// <summary>The handler whose connection confirmed the service (its keep-alive connection carries the calls that follow); the client takes it over. None: a new one.</summary>
    public HttpMessageHandler? Handler { get; init; }
}

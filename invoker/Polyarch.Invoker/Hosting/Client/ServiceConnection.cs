namespace Polyarch.Invoker.Hosting.Client;

/// <summary>A running invoker service a CLI talks to: its URL, the API key sent (if any) and where that key came from (for messages).</summary>
internal sealed record ServiceConnection(Uri Url, string? ApiKey, string KeySource);

using System.Collections.Concurrent;
using System.Net.Http.Headers;

namespace Polyarch.Registry.Auth;

/// <summary>Authorization headers that worked, per registry and repository, until they expire.</summary>
internal sealed class TokenCache
{
    private readonly ConcurrentDictionary<(string Authority, string Repository), (AuthenticationHeaderValue Header, DateTimeOffset Expires)> _entries = new();
    private readonly TimeProvider _timeProvider;

    public TokenCache(TimeProvider timeProvider)
    {
        _timeProvider = timeProvider;
    }

    public AuthenticationHeaderValue? Find(string authority, string repository) =>
        _entries.TryGetValue((authority, repository), out var entry) && entry.Expires > _timeProvider.GetUtcNow() ? entry.Header : null;

    public void Store(string authority, string repository, AuthenticationHeaderValue header, TimeSpan lifetime) =>
        _entries[(authority, repository)] = (header, _timeProvider.GetUtcNow() + lifetime);
}

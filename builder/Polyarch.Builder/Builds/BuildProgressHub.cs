using System.Threading.Channels;
using Polyarch.Builder.Buildx;

namespace Polyarch.Builder.Builds;

/// <summary>
/// Live per-platform progress of the builds this process runs, for <c>GET /v1/builds/{id}/events</c> (what a CLI that
/// handed its build to the service prints). A late subscriber first gets each platform's latest state.
/// </summary>
internal sealed class BuildProgressHub
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Dictionary<string, PlatformProgress>> _latest = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Channel<PlatformProgress>>> _subscribers = new(StringComparer.Ordinal);

    public void Publish(string buildId, PlatformProgress progress)
    {
        lock (_gate)
        {
            if (!_latest.TryGetValue(buildId, out var latest))
            {
                _latest[buildId] = latest = new Dictionary<string, PlatformProgress>(StringComparer.Ordinal);
            }

            latest[progress.Platform] = progress;
            foreach (var channel in _subscribers.GetValueOrDefault(buildId) ?? [])
            {
                channel.Writer.TryWrite(progress);
            }
        }
    }

    /// <summary>The build ended: every subscriber's stream ends.</summary>
    public void Complete(string buildId)
    {
        lock (_gate)
        {
            _latest.Remove(buildId);
            if (_subscribers.Remove(buildId, out var channels))
            {
                foreach (var channel in channels)
                {
                    channel.Writer.TryComplete();
                }
            }
        }
    }

    /// <summary>Follows one build's progress until it ends here or the subscription is disposed.</summary>
    public Subscription Subscribe(string buildId)
    {
        var channel = Channel.CreateUnbounded<PlatformProgress>(new UnboundedChannelOptions { SingleReader = true });
        lock (_gate)
        {
            foreach (var progress in _latest.GetValueOrDefault(buildId)?.Values ?? Enumerable.Empty<PlatformProgress>())
            {
                channel.Writer.TryWrite(progress);
            }

            if (!_subscribers.TryGetValue(buildId, out var channels))
            {
                _subscribers[buildId] = channels = [];
            }

            channels.Add(channel);
        }

        return new Subscription(this, buildId, channel);
    }

    /// <summary>One follower of one build.</summary>
    internal sealed class Subscription(BuildProgressHub hub, string buildId, Channel<PlatformProgress> channel) : IDisposable
    {
        public ChannelReader<PlatformProgress> Reader => channel.Reader;

        public void Dispose()
        {
            lock (hub._gate)
            {
                if (hub._subscribers.TryGetValue(buildId, out var channels))
                {
                    channels.Remove(channel);
                    if (channels.Count == 0)
                    {
                        hub._subscribers.Remove(buildId);
                    }
                }
            }

            channel.Writer.TryComplete();
        }
    }
}

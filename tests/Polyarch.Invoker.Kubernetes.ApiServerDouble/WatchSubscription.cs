using System.Threading.Channels;

namespace Polyarch.Invoker.Kubernetes.ApiServerDouble;

/// <summary>One open watch: which kind and objects it wants, and the serialised event lines still to send.</summary>
internal sealed class WatchSubscription(string kind, Func<object, bool> filter)
{
    public string Kind { get; } = kind;

    public Func<object, bool> Filter { get; } = filter;

    public Channel<string> Lines { get; } = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
}

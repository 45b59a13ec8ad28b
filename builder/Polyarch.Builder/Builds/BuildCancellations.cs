using System.Collections.Concurrent;

namespace Polyarch.Builder.Builds;

/// <summary>The builds this process runs now, each with the token a user's cancel request fires.</summary>
internal sealed class BuildCancellations
{
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _running = new(StringComparer.Ordinal);

    /// <summary>Registers a build this process starts; dispose the returned source when the build ends.</summary>
    public Registration Register(string buildId)
    {
        var source = new CancellationTokenSource();
        _running[buildId] = source;
        return new Registration(this, buildId, source);
    }

    /// <summary>Asks the build to stop; false when this process does not run it.</summary>
    public bool Cancel(string buildId)
    {
        if (!_running.TryGetValue(buildId, out var source))
        {
            return false;
        }

        try
        {
            source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            return false; // It ended meanwhile.
        }

        return true;
    }

    /// <summary>One running build's cancellation.</summary>
    internal sealed class Registration(BuildCancellations owner, string buildId, CancellationTokenSource source) : IDisposable
    {
        public CancellationToken Token => source.Token;

        public bool IsCancellationRequested => source.IsCancellationRequested;

        public void Dispose()
        {
            owner._running.TryRemove(new KeyValuePair<string, CancellationTokenSource>(buildId, source));
            source.Dispose();
        }
    }
}

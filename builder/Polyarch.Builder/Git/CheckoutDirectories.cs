using Microsoft.Extensions.Options;
using Polyarch.Builder.Hosting;

namespace Polyarch.Builder.Git;

/// <summary>
/// Where builds check their sources out: one directory per source repository — and per build of it running at the same
/// time — kept from one build to the next, and updated by <see cref="GitSource.CheckoutAsync"/> with what changed. BuildKit
/// keeps a local build context by its directory and sends only what changed since the last bake from the same directory;
/// a new directory per build (as before) made it take in the whole context, and start a new context store, every time.
/// At most <see cref="MaxKept"/> directories stay; the least recently used that no build holds go first.
/// </summary>
internal sealed class CheckoutDirectories
{
    /// <summary>How many checkouts stay between builds (one per repository built lately, more for concurrent builds).</summary>
    public const int MaxKept = 32;

    private readonly string _root;
    private readonly int _maxKept;
    private readonly HashSet<string> _leased = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public CheckoutDirectories(IOptions<BuilderOptions> options)
        : this(Path.Combine(StatePaths.BuilderDirectory(options.Value.StateDirectory), "checkouts"), MaxKept)
    {
    }

    internal CheckoutDirectories(string root, int maxKept)
    {
        _root = root;
        _maxKept = maxKept;
    }

    /// <summary>A directory for a checkout of <paramref name="sourceUrl"/> that no other build uses until the lease is disposed.</summary>
    public Lease Take(string sourceUrl)
    {
        var key = SourceUrl.MirrorKey(SourceUrl.Normalize(sourceUrl));
        lock (_lock)
        {
            for (var slot = 0; ; slot++)
            {
                var path = Path.Combine(_root, $"{key}-{slot}");
                if (_leased.Add(path))
                {
                    Trim();
                    return new Lease(this, path);
                }
            }
        }
    }

    private void Release(string path)
    {
        lock (_lock)
        {
            _leased.Remove(path);
        }
    }

    // Keeps at most _maxKept checkouts (with the one just leased); a checkout's commit marker says when it was last written.
    private void Trim()
    {
        if (!Directory.Exists(_root))
        {
            return;
        }

        var kept = new DirectoryInfo(_root).GetDirectories();
        var surplus = kept.Length - _maxKept;
        foreach (var directory in kept.Where(d => !_leased.Contains(d.FullName)).OrderBy(LastWritten).Take(Math.Max(0, surplus)))
        {
            try
            {
                File.Delete(GitSource.CommitMarker(directory.FullName));
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Still there: the next lease tries again.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private static DateTime LastWritten(DirectoryInfo directory)
    {
        var marker = new FileInfo(GitSource.CommitMarker(directory.FullName));
        return marker.Exists ? marker.LastWriteTimeUtc : DateTime.MinValue;
    }

    /// <summary>A checkout directory held by one build.</summary>
    public sealed class Lease(CheckoutDirectories owner, string path) : IDisposable
    {
        public string Path => path;

        public void Dispose() => owner.Release(path);
    }
}

using System.ComponentModel.DataAnnotations;

namespace Polyarch.Invoker.Pool;

/// <summary>Settings of the warm container pool (section "WarmPool").</summary>
public sealed class WarmPoolOptions
{
    public const string SectionName = "WarmPool";

    /// <summary>An idle container is removed after this long (OpenWhisk: 10 min). Default 10 min.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Containers per pool key (= concurrent activations of one action on one platform). Default 4.</summary>
    [Range(1, 1024)]
    public int MaxContainersPerKey { get; set; } = 4;

    /// <summary>Containers in all (idle ones are evicted, oldest first, to make room). Default 16.</summary>
    [Range(1, 4096)]
    public int MaxContainers { get; set; } = 16;

    /// <summary>How often idle containers are checked against the idle timeout. Default 15 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(15);
}

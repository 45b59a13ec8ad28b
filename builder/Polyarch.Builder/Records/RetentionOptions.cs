using System.ComponentModel.DataAnnotations;

namespace Polyarch.Builder.Records;

/// <summary>How long finished work keeps its logs (section <c>Store:Retention</c>; the invoker's activation records are meant to use the same names).</summary>
public sealed class RetentionOptions
{
    /// <summary>Logs of builds that finished longer ago than this are deleted.</summary>
    /// <value>Defaults to 30 days.</value>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Only the newest this many finished builds keep their logs.</summary>
    /// <value>Defaults to 1000.</value>
    [Range(1, 10_000_000)]
    public int MaxCount { get; set; } = 1000;

    /// <summary>How often the pruning runs.</summary>
    /// <value>Defaults to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}

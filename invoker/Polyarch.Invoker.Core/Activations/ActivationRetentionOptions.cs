using System.ComponentModel.DataAnnotations;

namespace Polyarch.Invoker.Activations;

/// <summary>How long activation records are kept (section <c>Activations:Retention</c>, env <c>POLYARCH_Activations__Retention__…</c>).</summary>
public sealed class ActivationRetentionOptions
{
    /// <summary>The configuration section these options bind to.</summary>
    public const string SectionName = "Activations:Retention";

    /// <summary>Records that started longer ago are deleted; <c>00:00:00</c> keeps them whatever their age.</summary>
    /// <value>Defaults to 7 days.</value>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(7);

    /// <summary>At most this many records are kept (the newest); <c>0</c> sets no count limit.</summary>
    /// <value>Defaults to 0 (no count limit; a record holds up to 10 MiB of logs, so set one where disk is small).</value>
    [Range(0, int.MaxValue)]
    public int MaxCount { get; set; }

    /// <summary>How often the records are pruned (by one replica at a time on a shared store).</summary>
    /// <value>Defaults to 1 hour.</value>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
}
